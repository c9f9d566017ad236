# Run by `cmake --install` and cpack, after the install(CODE) in packaging/CMakeLists.txt set
# TABLO_SOURCE_DIR, TABLO_WORK_DIR, TABLO_VOICE_PACK and TABLO_DOCDIR. Writes what depends on
# the prefix this install uses:
#   - the settings file, PREFIX/etc/tablo/tablo.toml, or /etc/tablo/tablo.toml for /usr (as
#     GNUInstallDirs places SYSCONFDIR), never over one that is there already;
#   - the systemd units, naming the programs and that settings file where this install puts them;
#   - the voice packs, PREFIX/share/tablo/voice-packs/{ru,en}, made by the tablo-voice-pack just
#     built, where tablo-display looks for them (beside its own bin/).
# file(INSTALL) puts DESTDIR in front of its destinations itself; the check for a settings file
# that is there already must do it by hand.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(sysconfdir /etc)
else()
  set(sysconfdir "${CMAKE_INSTALL_PREFIX}/etc")
endif()

set(settings "${sysconfdir}/tablo/tablo.toml")
if(EXISTS "$ENV{DESTDIR}${settings}")
  message(STATUS "Kept: $ENV{DESTDIR}${settings} (settings already there)")
else()
  file(INSTALL "${TABLO_SOURCE_DIR}/config/tablo.example.toml" DESTINATION "${sysconfdir}/tablo"
       RENAME tablo.toml)
endif()

set(TABLO_BINDIR "${CMAKE_INSTALL_PREFIX}/bin")
set(TABLO_CONFIG "${settings}")
set(TABLO_DOCDIR "${CMAKE_INSTALL_PREFIX}/${TABLO_DOCDIR}")
foreach(unit tablo-hub.service tablo-display.service tablo-web.service)
  configure_file("${TABLO_SOURCE_DIR}/config/systemd/${unit}.in" "${TABLO_WORK_DIR}/systemd/${unit}" @ONLY)
  file(INSTALL "${TABLO_WORK_DIR}/systemd/${unit}" DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
endforeach()

# Made once per build of tablo-voice-pack (it holds the vocabulary), then copied.
foreach(language ru en)
  set(pack "${TABLO_WORK_DIR}/voice-packs/${language}")
  if(NOT EXISTS "${pack}/manifest.toml" OR "${TABLO_VOICE_PACK}" IS_NEWER_THAN "${pack}/manifest.toml")
    message(STATUS "Making the ${language} voice pack with espeak-ng: ${pack}")
    execute_process(COMMAND "${TABLO_VOICE_PACK}" --language ${language} --out "${pack}"
                    RESULT_VARIABLE failed OUTPUT_QUIET)
    if(failed)
      message(FATAL_ERROR "tablo-voice-pack --language ${language} --out ${pack} failed (${failed}); "
                          "it needs espeak-ng and its data (scripts/install-deps installs them)")
    endif()
  endif()
  file(INSTALL "${pack}" DESTINATION "${CMAKE_INSTALL_PREFIX}/share/tablo/voice-packs")
endforeach()

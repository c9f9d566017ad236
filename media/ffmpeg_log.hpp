#pragma once
// FFmpeg's own messages ("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x…] moov atom not found") into the
// program's log instead of raw to stderr: at a level mapped from FFmpeg's (its errors are
// warnings here, the player says in the hall's words what it does about them), named by the
// file they are about when FFmpeg says, and each message once per file — a broken file tried
// again every 30 s does not repeat itself.
namespace tablo::media {

// Installs the routing for the whole process (av_log is process-wide); call once at the start.
void route_ffmpeg_log();

}  // namespace tablo::media

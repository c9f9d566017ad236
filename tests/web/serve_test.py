"""tablo-web's listening rule, as the hub's: a non-loopback address without HTTPS is refused
(unless web.allow_insecure, warned about); HTTPS itself: https_test.py."""
import subprocess
import time

from branch import WEB, Branch, free_port


def main():
    branch = Branch(web_config="")
    try:
        toml = f"{branch.dir}/open.toml"
        port = free_port()
        with open(toml, "w") as f:
            f.write(f'[hub]\ncommands = "{branch.commands}"\nevents = "{branch.events}"\n'
                    f'[web]\nlisten = "0.0.0.0:{port}"\ndatabase = "{branch.dir}/web.sqlite"\n')
        refused = subprocess.run([WEB, "--config", toml], capture_output=True, text=True, timeout=20)
        assert refused.returncode == 1 and "refusing to serve the console on 0.0.0.0" in refused.stderr, refused.stderr
        assert "web.certificate and web.private_key" in refused.stderr, refused.stderr

        with open(toml, "a") as f:
            f.write("allow_insecure = true\n")
        with open(f"{branch.dir}/open.log", "w") as log:
            web = subprocess.Popen([WEB, "--config", toml], stdout=log, stderr=subprocess.STDOUT)
        try:
            branch.wait(lambda: "without HTTPS (web.allow_insecure)" in open(f"{branch.dir}/open.log").read(), "the warning", 20)
            assert web.poll() is None
        finally:
            web.terminate()
            web.wait(10)
        print("serve_test: all checks passed")
    finally:
        branch.stop()


main()

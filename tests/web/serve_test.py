"""tablo-web's listening rule, as the hub's: a non-loopback address without HTTPS is refused
(unless web.allow_insecure); a certificate is refused with the reason (Debian 12's civetweb
cannot serve HTTPS with OpenSSL 3)."""
import subprocess

from branch import WEB, Branch, free_port


def main():
    branch = Branch(web_config="")
    try:
        toml = f"{branch.dir}/open.toml"
        with open(toml, "w") as f:
            f.write(f'[hub]\ncommands = "{branch.commands}"\nevents = "{branch.events}"\n'
                    f'[web]\nlisten = "0.0.0.0:{free_port()}"\ndatabase = "{branch.dir}/web.sqlite"\n')
        refused = subprocess.run([WEB, "--config", toml], capture_output=True, text=True, timeout=20)
        assert refused.returncode == 1 and "refusing to serve the console on 0.0.0.0" in refused.stderr, refused.stderr

        key, cert = f"{branch.dir}/web.key", f"{branch.dir}/web.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
        with open(toml, "w") as f:
            f.write(f'[hub]\ncommands = "{branch.commands}"\nevents = "{branch.events}"\n'
                    f'[web]\nlisten = "127.0.0.1:{free_port()}"\ndatabase = "{branch.dir}/web.sqlite"\n'
                    f'certificate = "{cert}"\nprivate_key = "{key}"\n')
        # Debian 12's civetweb crashes on its first HTTPS connection (OpenSSL 3): refused, saying so.
        refused = subprocess.run([WEB, "--config", toml], capture_output=True, text=True, timeout=20)
        assert refused.returncode == 1 and "cannot serve HTTPS with OpenSSL 3" in refused.stderr, refused.stderr
        print("serve_test: all checks passed")
    finally:
        branch.stop()


main()

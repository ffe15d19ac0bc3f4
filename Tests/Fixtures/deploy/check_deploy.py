"""Reads the host files `refkit build --target HOST` writes with the tools that will read them,
and prints what those tools saw as JSON, for Tests/RefkitCLITests/HostileDeployTests.swift.

  check_deploy.py nginx CONF        nginx -t on the server block inside a private prefix, and
                                    the directives as nginx's grammar splits them
  check_deploy.py headers FILE      Netlify's _headers as rules: path -> [[name, value], ...]
  check_deploy.py s3 SCRIPT PUBLIC  bash -n, then the script run by sh with a fake `aws` first
                                    on the PATH that records its arguments; files it created
  check_deploy.py links HTML BASE   every src/href of the page resolved against BASE, as a
                                    browser does (urljoin), for the 404 page
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse


def nginx_tokens(text):
    """nginx's lexer, enough for a server block: comments, quoted strings with \\ escapes, ; { }."""
    tokens, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif c in ";{}":
            tokens.append(c)
            i += 1
        elif c in "\"'":
            quote, i, word = c, i + 1, ""
            while i < n and text[i] != quote:
                if text[i] == "\\" and i + 1 < n:
                    word += text[i + 1]
                    i += 2
                else:
                    word += text[i]
                    i += 1
            tokens.append(("word", word))
            i += 1
        else:
            word = ""
            while i < n and not text[i].isspace() and text[i] not in ";{}":
                word += text[i]
                i += 1
            tokens.append(("word", word))
    return tokens


def nginx_directives(text):
    out, current, depth = [], [], []
    for t in nginx_tokens(text):
        if t == ";":
            out.append(["/".join(depth)] + current)
            current = []
        elif t == "{":
            depth.append(current[0] if current else "?")
            out.append(["/".join(depth[:-1])] + current + ["{"])
            current = []
        elif t == "}":
            depth.pop()
        else:
            current.append(t[1])
    return out


def check_nginx(conf):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        return {"error": "nginx is not installed (Debian package nginx)"}
    prefix = tempfile.mkdtemp(prefix="refkit-nginx-t-")
    try:
        os.makedirs(os.path.join(prefix, "logs"))
        shutil.copy(conf, os.path.join(prefix, "site.conf"))
        with open(os.path.join(prefix, "nginx.conf"), "w") as f:
            f.write("""
worker_processes 1;
pid %(p)s/nginx.pid;
error_log %(p)s/logs/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path %(p)s/body;
    proxy_temp_path %(p)s/proxy;
    fastcgi_temp_path %(p)s/fastcgi;
    uwsgi_temp_path %(p)s/uwsgi;
    scgi_temp_path %(p)s/scgi;
    include %(p)s/site.conf;
}
""" % {"p": prefix})
        test = subprocess.run([nginx, "-t", "-p", prefix, "-c", os.path.join(prefix, "nginx.conf")],
                              capture_output=True, text=True)
        text = open(conf, encoding="utf-8").read()
        return {"status": test.returncode, "stderr": test.stderr, "directives": nginx_directives(text)}
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def check_headers(path):
    rules, current, malformed = {}, None, []
    for line in open(path, encoding="utf-8").read().split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = line.strip()
            rules.setdefault(current, [])
        elif current is not None and ":" in line:
            name, value = line.strip().split(":", 1)
            rules[current].append([name.strip(), value.strip()])
        else:
            malformed.append(line)
    return {"rules": rules, "malformed": malformed}


def check_s3(script, public):
    work = tempfile.mkdtemp(prefix="refkit-s3-")
    try:
        fake = os.path.join(work, "bin")
        os.makedirs(fake)
        log = os.path.join(work, "calls.jsonl")
        with open(os.path.join(fake, "aws"), "w") as f:
            f.write("#!%s\nimport json, sys\nopen(%r, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n" % (sys.executable, log))
        os.chmod(os.path.join(fake, "aws"), 0o755)
        syntax = subprocess.run(["bash", "-n", script], capture_output=True, text=True)
        run_dir = os.path.join(work, "cwd")
        os.makedirs(run_dir)
        env = dict(os.environ, PATH=fake + os.pathsep + os.environ.get("PATH", ""), HOME=run_dir)
        run = subprocess.run(["sh", script, "my-bucket", public], capture_output=True, text=True, cwd=run_dir, env=env)
        calls = [json.loads(l) for l in open(log, encoding="utf-8")] if os.path.exists(log) else []
        created = sorted(os.listdir(run_dir))
        return {"syntax": syntax.returncode, "syntax_stderr": syntax.stderr, "status": run.returncode,
                "stderr": run.stderr, "stdout": run.stdout, "calls": calls, "created": created}
    finally:
        shutil.rmtree(work, ignore_errors=True)


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append(value)


def check_links(path, base):
    parser = Links()
    parser.feed(open(path, encoding="utf-8").read())
    missing = urllib.parse.urljoin(base, "no/such/page/")
    resolved = [urllib.parse.urljoin(missing, u) for u in parser.urls]
    return {"urls": parser.urls, "resolved": resolved,
            "origins": sorted({"%s://%s" % (urllib.parse.urlsplit(r).scheme, urllib.parse.urlsplit(r).netloc)
                               for r in resolved if urllib.parse.urlsplit(r).scheme in ("http", "https")})}


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "nginx":
        result = check_nginx(sys.argv[2])
    elif mode == "headers":
        result = check_headers(sys.argv[2])
    elif mode == "s3":
        result = check_s3(sys.argv[2], sys.argv[3])
    elif mode == "links":
        result = check_links(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit("unknown mode " + mode)
    print(json.dumps(result))

"""One long-lived LibreOffice converter for FormBridge's PDF pool.

Starts soffice headless with a private profile, listening on a private UNO pipe, connects to it
through Debian's python3-uno, and then converts documents to PDF for as long as it runs, each in
the same office process: no process start per file. Requests come on stdin and answers go to
stdout, one JSON object per line:

    {"id": 1, "input": "/tmp/x/in.docx", "output": "/tmp/x/out.pdf"}
    {"id": 1, "ok": true}            or   {"id": 1, "ok": false, "error": "..."}

The first line it prints is {"ready": true} or {"ready": false, "error": "..."}. When the office
process dies, the converter exits; the pool starts another. Usage:

    python3 pdf-converter.py <soffice> <profile-dir> [fonts.conf]

With fonts.conf, soffice runs with FONTCONFIG_FILE pointing at it (libreoffice/fonts.conf).
"""
import json
import os
import subprocess
import sys
import time
import uuid


def say(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main():
    soffice, profile = sys.argv[1], sys.argv[2]
    env = dict(os.environ)
    if len(sys.argv) > 3:
        env["FONTCONFIG_FILE"] = os.path.abspath(sys.argv[3])
    try:
        import uno
        from com.sun.star.beans import PropertyValue
        from com.sun.star.connection import NoConnectException
    except ImportError as e:
        say({"ready": False, "code": "NO_UNO", "error": "python3-uno is not installed: %s" % e})
        return 3

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    pipe = "formbridge-%s" % uuid.uuid4().hex
    try:
        office = subprocess.Popen(
            [
                soffice,
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                "-env:UserInstallation=%s" % uno.systemPathToFileUrl(os.path.abspath(profile)),
                "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except OSError as e:
        say({"ready": False, "code": "NO_SOFFICE", "error": "cannot start %s: %s" % (soffice, e)})
        return 3

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    context = None
    deadline = time.time() + 60
    while context is None:
        if office.poll() is not None:
            say({"ready": False, "code": "SOFFICE_EXITED", "error": "soffice exited with %s" % office.returncode})
            return 4
        try:
            context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        except NoConnectException:
            if time.time() > deadline:
                office.kill()
                say({"ready": False, "code": "SOFFICE_TIMEOUT", "error": "soffice did not answer within 60 s"})
                return 4
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    load = (prop("Hidden", True), prop("ReadOnly", True), prop("UpdateDocMode", 0))
    store = (prop("FilterName", "writer_pdf_Export"), prop("Overwrite", True))
    say({"ready": True, "pid": office.pid})

    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            doc = None
            try:
                doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(request["input"]), "_blank", 0, load)
                if doc is None:
                    raise RuntimeError("LibreOffice could not open the document")
                doc.storeToURL(uno.systemPathToFileUrl(request["output"]), store)
                say({"id": request["id"], "ok": True})
            except Exception as e:  # the office may have died: the pool restarts us when it has
                say({"id": request["id"], "ok": False, "error": str(e).splitlines()[0] if str(e) else type(e).__name__})
                if office.poll() is not None:
                    return 4
            finally:
                if doc is not None:
                    try:
                        doc.close(True)
                    except Exception:
                        pass
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=10)
        except Exception:
            office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())

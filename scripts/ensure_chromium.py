"""Install Debian's Chromium for the browser tests when it is missing and we may (root + apt).

Never downloads Playwright's own browser build. Without Chromium the browser tests skip and
say so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

if shutil.which("chromium") or os.path.exists("/usr/bin/chromium"):
    sys.exit(0)
if os.geteuid() != 0 or not shutil.which("apt-get"):
    print("chromium is not installed and cannot be installed here: browser tests will skip")
    sys.exit(0)
print("== installing Debian's chromium for the browser tests")
env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
result = subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env)
sys.exit(result.returncode)

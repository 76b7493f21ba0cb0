"""Helpers for the browser tests: a scratch course with a student's working folder, a real JupyterLab started by
`scripts/lab.sh` on loopback, Debian's Chromium driven by Playwright, and keyboard-only moves in a notebook."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# JupyterLab settings for a quiet, repeatable session: no news or update pop-ups over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    """A JupyterLab server serving `root` (started by scripts/lab.sh, as `make lab` does)."""
    root: Path
    state: Path                    # runtime, config, settings and workspace folders of this server only
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: os.urandom(12).hex())
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/lab/tree/{path}?token={self.token}"

    def start(self, timeout: float = 60) -> "Lab":
        env = dict(os.environ)
        for name in ("runtime", "config", "settings", "workspaces", "ipython"):
            (self.state / name).mkdir(parents=True, exist_ok=True)
        for rel, value in LAB_SETTINGS.items():
            path = self.state / "settings" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))
        env.update(JUPYTER_RUNTIME_DIR=str(self.state / "runtime"), JUPYTER_CONFIG_DIR=str(self.state / "config"),
                   JUPYTERLAB_SETTINGS_DIR=str(self.state / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.state / "workspaces"), IPYTHONDIR=str(self.state / "ipython"),
                   NBGRADER_EXCHANGE=str(self.state / "exchange"), PYTHONWARNINGS="ignore")
        self.log_path = self.state / "lab.log"
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            ["bash", str(REPO / "scripts" / "lab.sh"), "--no-browser", f"--port={self.port}",
             f"--ServerApp.token={self.token}", f"--ServerApp.root_dir={self.root}", "--ServerApp.ip=127.0.0.1",
             "--ServerApp.port_retries=0"],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path and self.log_path.exists() else ""

    def stop(self, timeout: float = 20) -> None:
        """Shut the server down (it stops its kernels first); then make sure nothing of it is left."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            request = urllib.request.Request(f"{self.base}/api/shutdown", method="POST",
                                             headers={"Authorization": f"token {self.token}"})
            urllib.request.urlopen(request, timeout=5).close()
            self.process.wait(timeout=timeout)
        except (urllib.error.URLError, ConnectionError, TimeoutError, subprocess.TimeoutExpired):
            pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def student_copy(course: Path, assignment: str, folder: str = "work") -> Path:
    """The released assignment copied to a student's working folder inside the scratch course."""
    target = Path(course) / folder / assignment
    shutil.copytree(Path(course) / "release" / assignment, target)
    return target


def hand_in(work: Path, course: Path, student: str, timestamp: str = "2026-11-20 12:00:00 UTC") -> Path:
    """Move the student's folder into submitted/<student>/<assignment>/ with a timestamp, as collect would."""
    target = Path(course) / "submitted" / student / work.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(work), str(target))
    (target / "timestamp.txt").write_text(timestamp)
    return target


# --- in the page ------------------------------------------------------------------------------------------------

FOCUS = """() => {
  const e = document.activeElement, quiz = e && e.closest('.empathy-quiz');
  const prompt = quiz && quiz.querySelector('.empathy-prompt');
  return {tag: e ? e.tagName : null, type: (e && e.type) || null, quiz: prompt ? prompt.id : null,
          label: e && e.closest('label') ? e.closest('label').textContent.trim() : null,
          editing: !!(e && e.closest('.cm-editor'))};
}"""


def focus(page) -> dict:
    return page.evaluate(FOCUS)


def quiz_prompt_id(page, question_id: str) -> str:
    return page.locator(f".empathy-prompt[id^='empathy-{question_id}-']").first.get_attribute("id")


def tab_into(page, question_id: str, max_presses: int = 60) -> dict:
    """Press Tab (only Tab) until the keyboard focus is inside the question's widget."""
    wanted = quiz_prompt_id(page, question_id)
    for _ in range(max_presses):
        where = focus(page)
        if where["quiz"] == wanted:
            return where
        if where["editing"]:            # Tab in a code editor indents: step out of it as a keyboard user would
            page.keyboard.press("Escape")
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {question_id}; focus is on {focus(page)}")


def tab_to(page, predicate, max_presses: int = 20) -> dict:
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        where = focus(page)
        if predicate(where):
            return where
    raise AssertionError(f"Tab did not reach the control; focus is on {focus(page)}")


# Measures, inside the page, the time from the key press (or click) that presses a quiz's check button to the
# moment its feedback is in the DOM: no Playwright round trip in the number.
ARM_TIMER = """(promptId) => {
  const quiz = document.getElementById(promptId).closest('.empathy-quiz');
  const button = quiz.querySelector('button.empathy-check');
  const feedback = button.nextElementSibling.querySelector('.widget-html-content');
  window.__quizTimer = {start: null, end: null};
  const start = () => { if (window.__quizTimer.start === null) window.__quizTimer.start = performance.now(); };
  button.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') start(); }, {capture: true, once: true});
  button.addEventListener('mousedown', start, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (window.__quizTimer.start !== null && feedback.querySelector('.empathy-feedback[role=alert]')) {
      window.__quizTimer.end = performance.now(); observer.disconnect();
    }
  });
  observer.observe(feedback, {childList: true, subtree: true, characterData: true});
}"""


def feedback_text(page, question_id: str) -> str:
    quiz = page.locator(".empathy-quiz", has=page.locator(f"#{quiz_prompt_id(page, question_id)}"))
    return quiz.locator(".empathy-feedback").last.inner_text()


def quiz_locator(page, question_id: str):
    return page.locator(".empathy-quiz", has=page.locator(f"#{quiz_prompt_id(page, question_id)}"))

"""The `%%reply EXERCISE_ID` cell magic: the cell's body is the student's reply, taken as plain text (quotes,
backslashes and anything else are safe), checked at once, with feedback shown under the cell."""
from __future__ import annotations

import html

from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.display import HTML, display


@magics_class
class ReplyMagics(Magics):
    @cell_magic
    def reply(self, line: str, cell: str) -> None:
        from autograder import exercise_bank, grade
        from autograder.screening import placeholder_free

        from .notebook import remember_reply

        exercise_id = line.strip().split()[0] if line.strip() else ""
        try:
            exercise = exercise_bank.get(exercise_id)
        except KeyError:
            display(HTML("<p>This reply cell has lost its first line, which names the exercise "
                         f"(it read “%%reply {html.escape(exercise_id)}”). Your text is safe: copy it, then "
                         "use Edit ▸ Undo or ask your instructor for the cell's original first line.</p>"))
            return
        remember_reply(exercise.id, cell)
        if not placeholder_free(cell):
            display(HTML("<p>Not answered yet. Replace the line “Write your reply here, replacing this line.” "
                         "with your reply to the client, then run the cell again (Shift+Enter).</p>"))
            return
        display(grade(exercise, cell))


def register(shell) -> None:
    shell.register_magics(ReplyMagics)


def load_ipython_extension(shell) -> None:
    """`%load_ext course.reply_magic`, or automatic loading through the kernel's IPython config."""
    register(shell)


KERNEL_CONFIG_LINE = 'c.InteractiveShellApp.extensions.append("course.reply_magic")  # the course\'s %%reply cells'


def install_kernel_extension() -> str:
    """Load the magic in every IPython kernel of this environment (its `etc/ipython` config), so a reply cell
    run before the set-up cell still works. Appends one line to the environment's kernel config, once."""
    import sys
    from pathlib import Path

    config = Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
    config.parent.mkdir(parents=True, exist_ok=True)
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    if KERNEL_CONFIG_LINE not in text:
        config.write_text(text.rstrip("\n") + ("\n" if text else "") + KERNEL_CONFIG_LINE + "\n", encoding="utf-8")
    return str(config)

"""Time `policycheck check` against bare PDF text extraction; write benchmarks/RESULTS.md.

Every measurement is a child process, interpreter start and imports included: the whole
``policycheck check FILE`` as a user runs it, and ``benchmarks/extract.py`` doing bare
pdfplumber or pypdfium2 extraction of the same file. Wall time is time.perf_counter around
the child; CPU time and peak memory are the child's, as os.wait4 reports them. The commands
of one comparison run interleaved, round by round, so a change in load hits all of them.

    python benchmarks/run.py            # targets, every corpus file, batch; writes RESULTS.md
    python benchmarks/run.py --quick    # one round of the targets only; prints, writes nothing

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "policies"
DEFAULT_OUTPUT = HERE / "RESULTS.md"
EXTRACT = HERE / "extract.py"
POLICY_SUFFIXES = {".pdf", ".docx", ".txt", ".md"}

CHICAGO = "IL_ChicagoPD_G03-02_Use_of_Force_DRAFT_TBD_series.pdf"
MANUAL = "IL_LaGrangePD_Lexipol_Policy_Manual_2020-09.pdf"

DEFAULT_REPEAT = 5
DEFAULT_CORPUS_REPEAT = 1
# A batch of the whole corpus takes several seconds a run; three rounds are enough for a median.
MAX_BATCH_ROUNDS = 3
# A state's submissions are dozens to hundreds of ordinary policies: the corpus without the
# manual, copied this many times into separate folders, stands for one.
STATE_BATCH_COPIES = 8
# Bare pdfplumber takes over a minute a run on the 762-page manual; longer files skip it.
DEFAULT_PLUMBER_MAX_PAGES = 100

# The targets of issue 7.
MAX_CHICAGO_VS_PDFPLUMBER = 1.0
MAX_MANUAL_VS_PYPDFIUM2 = 3.0
MAX_VERSION_SECONDS = 0.3
MAX_MANUAL_PEAK_MB = 500
MIN_BATCH_SPEEDUP = 1.6

# Prose in RESULTS.md is wrapped to this width; tables cannot be.
TEXT_WIDTH = 96

# Exit statuses of a finished check: 0 compliant, 1 findings.
CHECK_OK = frozenset({0, 1})
LIBRARIES = (
    "policycheck",
    "click",
    "pypdfium2",
    "pdfplumber",
    "pdfminer.six",
    "spacy",
    "spacy-lookups-data",
    "rapidfuzz",
    "python-docx",
    "PyYAML",
    "Jinja2",
)


class RunFailed(Exception):
    """A child process exited with a status its command does not give on success."""


@dataclass(frozen=True)
class Command:
    """One child process to time, and the exit statuses that mean it worked."""

    argv: tuple[str, ...]
    ok: frozenset[int] = frozenset({0})

    def shell(self, corpus: Path = DEFAULT_CORPUS) -> str:
        """The command as typed from the repository, corpus files by name."""
        return shlex.join(_short(word, corpus) for word in self.argv)


@dataclass(frozen=True)
class Sample:
    """One run of a child: wall seconds, CPU seconds (user + system) and peak memory in MB."""

    seconds: float
    cpu: float
    peak_mb: float


@dataclass
class Timing:
    """The runs of one command."""

    command: Command
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(sample.seconds for sample in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(sample.cpu for sample in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(sample.peak_mb for sample in self.samples)


@dataclass(frozen=True)
class TargetRow:
    """A line of the targets table."""

    target: str
    measured: str
    value: str
    goal: str
    met: str
    commands: tuple[str, ...] = ()
    cpu_ratio: str = ""


def _short(word: str, corpus: Path = DEFAULT_CORPUS) -> str:
    """Paths shown relative to the repository or corpus, the interpreter as `python`."""
    path = Path(word)
    if word == sys.executable:
        return "python"
    if not path.is_absolute():
        return word
    if path.name == "policycheck" and path.parent == _bin_dir():
        return "policycheck"
    for base in (corpus, REPO):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return word


def _bin_dir() -> Path:
    return Path(sys.executable).parent


def run_child(command: Command) -> Sample:
    """Run one child to completion; its wall time, CPU time and peak memory. Raises RunFailed."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command.argv, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in command.ok:
            stderr.seek(0)
            lines = stderr.read().decode(errors="replace").strip().splitlines() or [""]
            raise RunFailed(f"`{command.shell()}` exited {child.returncode}: {lines[-1]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(seconds=seconds, cpu=cpu, peak_mb=usage.ru_maxrss / 1024)  # ru_maxrss: KB


def measure(commands: list[Command], rounds: int) -> list[Timing]:
    """Run every command once per round, interleaved; a Timing per command."""
    timings = [Timing(command) for command in commands]
    for _ in range(rounds):
        for timing in timings:
            timing.samples.append(run_child(timing.command))
    return timings


def policycheck_argv() -> list[str]:
    """The installed console script beside this interpreter, else `python -m policycheck`."""
    script = _bin_dir() / "policycheck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "policycheck"]


def check_command(path: Path) -> Command:
    return Command((*policycheck_argv(), "check", str(path)), CHECK_OK)


def extract_command(library: str, path: Path) -> Command:
    return Command((sys.executable, str(EXTRACT), library, str(path)))


def count_pages(path: Path) -> int | None:
    """Pages of a PDF; None for other files, which have no pages."""
    if path.suffix.lower() != ".pdf":
        return None
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


class Bench:
    """The files chosen, their page counts, and the timings taken so far (reused by tables)."""

    def __init__(self, corpus: Path, files: list[Path], repeat: int) -> None:
        self.corpus = corpus
        self.files = files
        self.repeat = repeat
        self.pages = {path.name: count_pages(path) for path in files}
        self.timings: dict[tuple[str, str], Timing] = {}
        self.notes: list[str] = []

    def find(self, name: str) -> Path | None:
        return next((path for path in self.files if path.name == name), None)

    def time_file(self, path: Path, tools: list[str], rounds: int) -> dict[str, Timing]:
        """Time the tools on one file (interleaved), reusing earlier timings of the same."""
        missing = [tool for tool in tools if (tool, path.name) not in self.timings]
        commands = [_tool_command(tool, path) for tool in missing]
        for tool, timing in zip(missing, measure(commands, rounds)):
            self.timings[tool, path.name] = timing
        return {tool: self.timings[tool, path.name] for tool in tools}


def _tool_command(tool: str, path: Path) -> Command:
    return check_command(path) if tool == "check" else extract_command(tool, path)


def warm_up(bench: Bench) -> None:
    """Read every file and run each tool once on the smallest PDF, untimed.

    This fills the page cache and writes any missing .pyc files, so the first timed run is
    not the only one paying for the disk.
    """
    for path in bench.files:
        path.read_bytes()
    pdfs = [path for path in bench.files if bench.pages[path.name]]
    if pdfs:
        smallest = min(pdfs, key=lambda path: bench.pages[path.name])
        for tool in ("check", "pypdfium2", "pdfplumber"):
            run_child(_tool_command(tool, smallest))


def chicago_target(bench: Bench) -> TargetRow:
    """The whole check of the Chicago file against bare pdfplumber extraction."""
    target = f"Whole check vs bare pdfplumber, {CHICAGO}"
    goal = f"<= {MAX_CHICAGO_VS_PDFPLUMBER:.1f}x"
    path = bench.find(CHICAGO)
    if path is None:
        return TargetRow(target, "not measured", "", goal, "not measured: file not chosen")
    check, plumber = bench.time_file(path, ["check", "pdfplumber"], bench.repeat).values()
    ratio = check.median / plumber.median
    measured = f"check {check.median:.2f} s, pdfplumber {plumber.median:.2f} s"
    return TargetRow(
        target,
        measured,
        f"{ratio:.2f}x",
        goal,
        _met(ratio <= MAX_CHICAGO_VS_PDFPLUMBER),
        _shells(bench, check, plumber),
        _cpu_ratio(check, plumber),
    )


def manual_targets(bench: Bench) -> list[TargetRow]:
    """The whole check of the La Grange manual against bare pypdfium2; its peak memory."""
    speed = f"Whole check vs bare pypdfium2, {MANUAL}"
    speed_goal = f"<= {MAX_MANUAL_VS_PYPDFIUM2:.1f}x"
    memory = f"Peak memory of the whole check, {MANUAL}"
    memory_goal = f"< {MAX_MANUAL_PEAK_MB} MB"
    path = bench.find(MANUAL)
    if path is None:
        missing = "not measured: file not chosen"
        return [
            TargetRow(speed, "", "", speed_goal, missing),
            TargetRow(memory, "", "", memory_goal, missing),
        ]
    check, pdfium = bench.time_file(path, ["check", "pypdfium2"], bench.repeat).values()
    [language] = measure([LANGUAGE_LOAD], bench.repeat)
    ratio = check.median / pdfium.median
    pages = bench.pages[MANUAL]
    measured = (
        f"check {check.median:.2f} s ({pages / check.median:.0f} pages/s), "
        f"pypdfium2 {pdfium.median:.2f} s ({pages / pdfium.median:.0f} pages/s); "
        f"for scale, a process that only loads the language pipeline: {language.median:.2f} s"
    )
    return [
        TargetRow(
            speed,
            measured,
            f"{ratio:.2f}x",
            speed_goal,
            _met(ratio <= MAX_MANUAL_VS_PYPDFIUM2),
            _shells(bench, check, pdfium, language),
            _cpu_ratio(check, pdfium),
        ),
        TargetRow(
            memory,
            f"largest of {len(check.samples)} runs",
            f"{check.peak_mb:.0f} MB",
            memory_goal,
            _met(check.peak_mb < MAX_MANUAL_PEAK_MB),
            _shells(bench, check),
        ),
    ]


# A process that starts and loads the check's language pipeline (spaCy), and does nothing else.
LANGUAGE_LOAD = Command(
    (sys.executable, "-c", "from policycheck.language import pipeline; pipeline()")
)


def start_target(bench: Bench) -> TargetRow:
    """`policycheck --version`, beside a bare interpreter start for scale."""
    version = Command((*policycheck_argv(), "--version"))
    bare = Command((sys.executable, "-c", "pass"))
    rounds = max(3, 2 * bench.repeat)
    cli, python = measure([version, bare], rounds)
    measured = f"median of {rounds}; bare `python -c pass` {python.median:.3f} s"
    return TargetRow(
        "CLI start: `policycheck --version`",
        measured,
        f"{cli.median:.3f} s",
        f"< {MAX_VERSION_SECONDS} s",
        _met(cli.median < MAX_VERSION_SECONDS),
        _shells(bench, cli, python),
    )


def batch_targets(bench: Bench) -> list[TargetRow]:
    """`batch --jobs 2` against `--jobs 1`, in pages per second: over the chosen files, and
    over them without the manual, whose one long check bounds what two workers can gain."""
    target = "`batch --jobs 2` vs `--jobs 1`, pages/s over the chosen files"
    goal = f">= {MIN_BATCH_SPEEDUP}x"
    try:
        run_child(Command((*policycheck_argv(), "batch", "--help")))
    except RunFailed:
        bench.notes.append(
            "`policycheck batch --help` failed, so the batch row was skipped: "
            "the `batch` command is not in this version of policycheck."
        )
        return [TargetRow(target, "skipped", "", goal, "not measured: no `batch` command")]
    bench.notes.append(
        "In the batch commands FILES are the chosen files (every corpus file "
        "by default), and OUT is a fresh temporary folder for each run."
    )
    rows = [_batch_row(bench, bench.files, target, goal)]
    others = [path for path in bench.files if path.name != MANUAL]
    if len(others) > 1 and len(others) < len(bench.files):
        label = f"{target}, without {MANUAL} (for comparison)"
        rows.append(_batch_row(bench, others, label, goal))
    if len(others) > 1:
        count = STATE_BATCH_COPIES * len(others)
        label = (
            f"`batch --jobs 2` vs `--jobs 1`, a state-sized batch: {count} files (the chosen "
            f"files without the manual, copied {STATE_BATCH_COPIES} times into separate folders)"
        )
        rows.append(_batch_row(bench, others, label, goal, copies=STATE_BATCH_COPIES))
    return rows


def _batch_row(
    bench: Bench, files: list[Path], target: str, goal: str, copies: int = 1
) -> TargetRow:
    pages = copies * sum(bench.pages[path.name] or 0 for path in files)
    with tempfile.TemporaryDirectory(prefix="policycheck-bench-") as scratch:
        inputs = _copies(files, Path(scratch) / "inputs", copies) if copies > 1 else files
        one, two = _time_batch(inputs, Path(scratch), min(bench.repeat, MAX_BATCH_ROUNDS))
    speedup = one.median / two.median
    measured = (
        f"--jobs 1 {one.median:.2f} s ({pages / one.median:.0f} pages/s), "
        f"--jobs 2 {two.median:.2f} s ({pages / two.median:.0f} pages/s)"
    )
    return TargetRow(
        target,
        measured,
        f"{speedup:.2f}x",
        goal,
        _met(speedup >= MIN_BATCH_SPEEDUP),
        _shells(bench, one, two),
        f"{two.cpu / one.cpu:.2f}x more CPU",
    )


def _copies(files: list[Path], folder: Path, copies: int) -> list[Path]:
    """The files copied ``copies`` times, each copy in its own folder (``copy-N/name``)."""
    copied = []
    for number in range(copies):
        target = folder / f"copy-{number}"
        target.mkdir(parents=True)
        for path in files:
            copied.append(Path(shutil.copy2(path, target / path.name)))
    return copied


def _time_batch(files: list[Path], scratch: Path, rounds: int) -> tuple[Timing, Timing]:
    """Each round runs --jobs 1 then --jobs 2, each into a fresh output folder."""
    shown = {
        jobs: Command(("policycheck", "batch", "FILES", "--out", "OUT", "--jobs", str(jobs)))
        for jobs in (1, 2)
    }
    timings = {jobs: Timing(command) for jobs, command in shown.items()}
    for number in range(rounds):
        for jobs, timing in timings.items():
            out = scratch / f"out-jobs{jobs}-round{number}"
            argv = (
                *policycheck_argv(),
                "batch",
                *map(str, files),
                "--out",
                str(out),
                "--jobs",
                str(jobs),
            )
            timing.samples.append(run_child(Command(argv, CHECK_OK)))
    return timings[1], timings[2]


def _cpu_ratio(first: Timing, second: Timing) -> str:
    return f"{first.cpu / second.cpu:.2f}x"


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def _shells(bench: Bench, *timings: Timing) -> tuple[str, ...]:
    return tuple(timing.command.shell(bench.corpus) for timing in timings)


def guarded(bench: Bench, make_rows, name: str) -> list[TargetRow]:
    """Rows from one measurement; one 'failed' row, with the reason noted, if a run failed."""
    try:
        rows = make_rows(bench)
    except RunFailed as exc:
        bench.notes.append(f"{name} failed: {exc}")
        return [TargetRow(name, "failed", "", "", "not measured: a run failed (see notes)")]
    return rows if isinstance(rows, list) else [rows]


def corpus_rows(bench: Bench, rounds: int, plumber_max_pages: int) -> list[list[str]]:
    """A row per chosen file: seconds and pages per second of the check and of both libraries."""
    rows = []
    for path in bench.files:
        pages = bench.pages[path.name]
        tools = ["check"]
        if pages:
            tools.append("pypdfium2")
            if pages <= plumber_max_pages:
                tools.append("pdfplumber")
        try:
            timings = bench.time_file(path, tools, rounds)
        except RunFailed as exc:
            bench.notes.append(f"{path.name}: {exc}")
            rows.append([path.name, _cell(pages), "failed", "", "", "", "", "", "", ""])
            continue
        rows.append(_corpus_row(path.name, pages, timings))
    return rows


def _corpus_row(name: str, pages: int | None, timings: dict[str, Timing]) -> list[str]:
    check = timings["check"]
    pdfium = timings.get("pypdfium2")
    plumber = timings.get("pdfplumber")

    def seconds(timing: Timing | None) -> str:
        return f"{timing.median:.2f}" if timing else "—"

    def ratio(timing: Timing | None) -> str:
        return f"{check.median / timing.median:.1f}x" if timing else "—"

    per_second = f"{pages / check.median:.1f}" if pages else "—"
    return [
        name,
        _cell(pages),
        seconds(check),
        per_second,
        seconds(pdfium),
        seconds(plumber),
        ratio(pdfium),
        ratio(plumber),
        f"{check.peak_mb:.0f}",
        str(len(check.samples)),
    ]


def _cell(value) -> str:
    return "—" if value is None else str(value)


def machine_description(
    load_before: str, load_after: str, code_before: str
) -> list[tuple[str, str]]:
    """What the numbers were measured on."""
    cores = len(os.sched_getaffinity(0))
    return [
        ("CPU", _cpu_model()),
        ("Cores", f"{os.cpu_count()} logical, {cores} available to the benchmark"),
        ("Memory", _memory_total()),
        ("System", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("Libraries", ", ".join(_versions())),
        ("Load average (1 min)", f"{load_before} at start, {load_after} at end"),
        ("Code", _code_span(code_before, _code_state())),
    ]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GB"
    except OSError:
        pass
    return "unknown"


def _versions() -> list[str]:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return found


def _code_span(before: str, after: str) -> str:
    """The code measured; both states if it changed during the run (others commit too)."""
    return before if before == after else f"{before} at start; {after} at end"


def _code_state() -> str:
    """The commit measured, and whether the working tree had changes (read-only git)."""
    git = ["git", "--no-optional-locks", "-C", str(REPO)]
    try:
        commit = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            [*git, "status", "--porcelain"], capture_output=True, text=True, check=True
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    if not changed:
        return f"commit {commit}, clean working tree"
    return f"commit {commit}, working tree with {len(changed)} changed or new file(s)"


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render(args_line: str, machine, targets, corpus, bench: Bench, options) -> str:
    """RESULTS.md: the command, the machine, the method, the targets and the corpus table."""
    parts = [
        "# policycheck benchmark results",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by:\n\n```sh\n{args_line}\n```",
        "run from the repository root with the virtual environment's Python.",
        "## Machine",
        markdown_table(["item", "value"], [list(pair) for pair in machine]),
        "## How it was measured",
        _method(bench, options),
        "## Targets (issue 7)",
        markdown_table(
            [
                "target",
                "measured (medians, wall time)",
                "result",
                "target",
                "met",
                "CPU-time ratio",
            ],
            [[r.target, r.measured, r.value, r.goal, r.met, r.cpu_ratio] for r in targets],
        ),
        "Commands timed, from the repository root (corpus files by name, from "
        f"`{os.path.relpath(bench.corpus, REPO)}`):\n\n" + _command_list(targets),
    ]
    if corpus:
        parts += [
            "## Every chosen corpus file",
            _prose(
                f"{_runs(options.corpus_repeat)} per command, except where the "
                "targets above already timed the same command (then their runs). pages/s is "
                "the whole check's; the ratios are the check's time over the bare "
                "extraction's. Text and Markdown files have no pages. pdfplumber is skipped "
                f"(—) on files over {options.plumber_max_pages} pages."
            ),
            markdown_table(
                [
                    "file",
                    "pages",
                    "check s",
                    "check pages/s",
                    "pypdfium2 s",
                    "pdfplumber s",
                    "check ÷ pypdfium2",
                    "check ÷ pdfplumber",
                    "check peak MB",
                    "runs",
                ],
                corpus,
            ),
        ]
    if bench.notes:
        parts += ["## Notes", _bullets(bench.notes)]
    return "\n\n".join(parts) + "\n"


def _runs(count: int) -> str:
    return "One run" if count == 1 else f"The median of {count} runs"


def _prose(text: str) -> str:
    return textwrap.fill(text, TEXT_WIDTH, break_on_hyphens=False)


def _bullets(items: list[str]) -> str:
    return "\n".join(
        textwrap.fill(
            item, TEXT_WIDTH, initial_indent="- ", subsequent_indent="  ", break_on_hyphens=False
        )
        for item in items
    )


def _method(bench: Bench, options) -> str:
    return _bullets(
        [
            "Every command is a child process, so interpreter start and imports count on every "
            "side: `policycheck check FILE` (terminal report to /dev/null), and "
            "`benchmarks/extract.py` for bare pdfplumber `extract_text` or bare pypdfium2 "
            "`get_text_range` of every page of the same file.",
            "Wall time: `time.perf_counter` around the child; the targets are in wall time. "
            "CPU time: the child's user + system time from `os.wait4`, with its worker "
            "processes (`check` reads a PDF of 64 pages or more in one worker per core; `batch` "
            "checks one file per worker). The CPU-time column gives, for the two single-file "
            "targets, the check's CPU time over the bare extraction's (higher than the wall-time "
            "ratio when the check's workers share the work), and for `batch`, how much more CPU "
            "`--jobs 2` spent than `--jobs 1`. Peak memory: the child's `ru_maxrss` from "
            "`os.wait4`, the largest single process; forked workers share the main process's "
            "memory until they write to it, so this is not their sum.",
            "Every `batch` run first starts Python and loads the rule packs and the language "
            "pipeline, in one process, for about as long as the process that only loads the "
            "pipeline (in the manual's row). With `--jobs 2` a forked reader reads the largest "
            "file meanwhile; with `--jobs 1` nothing else runs. That start weighs most on the "
            "smallest batch; the state-sized batch is the one a reviewer with a state's "
            "submissions runs.",
            f"{bench.repeat} round(s) per target ({min(bench.repeat, MAX_BATCH_ROUNDS)} for "
            "`batch`); the commands of one comparison alternate round by round, and the tables "
            "give medians. One untimed warm-up run of each tool first.",
            "Other work may share the machine (the load average is in the table above); the "
            "CPU-time ratios are the steadier guide then.",
        ]
    )


def _command_list(targets: list[TargetRow]) -> str:
    seen: list[str] = []
    for row in targets:
        seen += [command for command in row.commands if command not in seen]
    return "\n".join(f"- `{command}`" for command in seen) or "- none"


def choose_files(corpus: Path, names: list[str] | None) -> list[Path]:
    """The files named (by name in the corpus, or by path), or every policy file there."""
    if not names:
        return sorted(p for p in corpus.iterdir() if p.suffix.lower() in POLICY_SUFFIXES)
    files = []
    for name in names:
        path = Path(name) if Path(name).exists() else corpus / name
        if not path.is_file():
            raise SystemExit(f"run.py: no file {name!r} (looked in {corpus})")
        files.append(path.resolve())
    return files


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="folder of policy files (default: %(default)s)",
    )
    parser.add_argument(
        "--files",
        nargs="+",
        metavar="FILE",
        help="only these files (names in the corpus, or paths)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=DEFAULT_REPEAT,
        help="rounds per target comparison (default: %(default)s)",
    )
    parser.add_argument(
        "--corpus-repeat",
        type=int,
        default=DEFAULT_CORPUS_REPEAT,
        help="rounds per command in the per-file table (default: %(default)s)",
    )
    parser.add_argument(
        "--plumber-max-pages",
        type=int,
        default=DEFAULT_PLUMBER_MAX_PAGES,
        help="skip bare pdfplumber on longer files in the per-file table (default: %(default)s)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="one round of the targets; no per-file table, no batch"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"write the results here (default: {_short(str(DEFAULT_OUTPUT))}; "
        "with --quick, nothing is written unless this is given)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1
    if args.output is None and not args.quick:
        args.output = DEFAULT_OUTPUT
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    corpus = args.corpus.resolve()
    bench = Bench(corpus, choose_files(corpus, args.files), args.repeat)
    load_before, code_before = _load(), _code_state()
    warm_up(bench)

    targets = guarded(bench, chicago_target, "Chicago check")
    targets += guarded(bench, manual_targets, "La Grange check")
    targets += guarded(bench, start_target, "CLI start")
    corpus = [] if args.quick else corpus_rows(bench, args.corpus_repeat, args.plumber_max_pages)
    if args.quick:
        bench.notes.append("--quick: one round, no per-file table, no batch row.")
    else:
        targets += guarded(bench, batch_targets, "batch")

    machine = machine_description(load_before, _load(), code_before)
    args_line = shlex.join(["python", "benchmarks/run.py", *argv])
    text = render(args_line, machine, targets, corpus, bench, args)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`policycheck batch`: check every policy in folders in parallel; a report per file, a summary.

The parent compiles the rule packs and loads spaCy once, and the workers forked from it inherit
them (a spawned worker loads its own); each checks one file at a time under a time limit
(``SIGALRM``). The parent keeps at most one file per worker in flight, so it knows when each
started: a worker that outlives the limit by ``PARENT_GRACE_SECONDS`` (stuck in native code)
or dies is recorded as an error row, the pool is rebuilt, and the batch goes on. Only click and
the standard library are imported at module level, so that ``policycheck --version`` stays fast.

While the parent loads what the workers share, a forked reader reads the largest file (see
``early``), so that no core idles at the start.

The steps, in order: ``tasks`` (the files and settings), ``worker`` (checking one file),
``early`` (reading the largest file ahead), ``pool`` (running many) and ``command`` (the click
command, progress and summary).
"""

from policycheck.batch.command import (
    BATCH_FORMATS,
    Progress,
    batch,
    exit_status,
    write_summary,
)
from policycheck.batch.pool import (
    PARENT_GRACE_SECONDS,
    WORKER_CRASHED,
    PoolRunner,
    largest_first,
    run_batch,
    stop_pool,
)
from policycheck.batch.tasks import (
    DEFAULT_FORMATS,
    DEFAULT_MAX_FILE_MB,
    DEFAULT_TIMEOUT,
    BatchSettings,
    BatchTask,
    find_tasks,
)
from policycheck.batch.worker import (
    INTERRUPTED,
    REPORT_SUFFIXES,
    REPORTS_FOLDER,
    build_checker,
    check_task,
    failed_entry,
    file_sha256,
    init_pool_worker,
    prepare_worker,
    time_limit,
)

__all__ = [
    "BATCH_FORMATS",
    "DEFAULT_FORMATS",
    "DEFAULT_MAX_FILE_MB",
    "DEFAULT_TIMEOUT",
    "INTERRUPTED",
    "PARENT_GRACE_SECONDS",
    "REPORTS_FOLDER",
    "REPORT_SUFFIXES",
    "WORKER_CRASHED",
    "BatchSettings",
    "BatchTask",
    "PoolRunner",
    "Progress",
    "batch",
    "build_checker",
    "check_task",
    "exit_status",
    "failed_entry",
    "file_sha256",
    "find_tasks",
    "init_pool_worker",
    "largest_first",
    "prepare_worker",
    "run_batch",
    "stop_pool",
    "time_limit",
    "write_summary",
]

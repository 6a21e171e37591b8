"""Where batch work runs: the work of one client (``solve_one``, in a worker process),
a long-lived process pool on this machine, or a Dask cluster. Workers import the solver
once, ignore Ctrl-C (the parent stops them) and die with their parent."""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import TYPE_CHECKING, Any

from .errors import InputError, shorten

if TYPE_CHECKING:
    from .batch import Entry

DASK_WORKER_WAIT = float(os.environ.get("LEGBACK_DASK_WORKER_WAIT", "60"))


# --- the work of one client (runs in a worker) ------------------------------------------

_SOLVE_COUNT = 0


def _init_worker(parent: int | None = None) -> None:
    """Pool initializer: ignore Ctrl-C (the parent stops the pool), die with the parent
    (even when it is killed with SIGKILL), and import the solver once per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent if parent is not None else os.getppid())
    from . import check, cpsat, explain, report  # noqa: F401  (ortools, the catalogue: once)


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG).
    Everywhere: a watchdog thread exits once the parent is gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    import threading

    threading.Thread(target=watch, name="legback-parent-watch", daemon=True).start()


def solve_one(
    key: str,
    data: dict[str, Any],
    weeks: int,
    time_limit: float,
    seed: int,
    workers: int,
    gap: float | None = None,
) -> tuple[dict[str, Any], str | None]:
    """Solve and check one client; never raises. Returns (record, plan JSON or None)."""
    global _SOLVE_COUNT
    _SOLVE_COUNT += 1
    if os.environ.get("LEGBACK_BATCH_TRACE"):  # tests count solves through this file
        with open(os.environ["LEGBACK_BATCH_TRACE"], "a", encoding="utf-8") as fh:
            fh.write(key + "\n")
    record: dict[str, Any] = {
        "id": key,
        "client": data.get("name", ""),
        "time_limit": time_limit,
        "gap_limit": gap,
    }
    try:
        from .check import check_plan
        from .io import parse_client
        from .solve import solve

        client = parse_client(data, key)
        t0 = time.perf_counter()
        result = solve(
            client, weeks=weeks, seed=seed, time_limit=time_limit, workers=workers, gap=gap
        )
        record["wall_seconds"] = round(time.perf_counter() - t0, 4)
        plan = result.plan
        record.update(
            status=result.status,
            objective=plan.objective,
            solve_seconds=plan.solve_seconds,
            violations=len(check_plan(plan)) if result.feasible else None,
            error=None if result.feasible else "; ".join(result.explanation[:1]) or None,
        )
        return record, plan.to_json()
    except InputError as e:
        record.update(status="invalid", error=e.paragraph())
    except Exception as e:  # a crashing client is recorded; the batch goes on
        record.update(status="error", error=f"{e.__class__.__name__}: {e}")
    return record, None


def run_pool(todo: list[Entry], args: tuple, jobs: int, workers: int, finished) -> None:
    """A pool of JOBS long-lived processes; a bounded window of tasks in flight so that a
    plan is written as soon as it is solved. A worker that dies takes its in-flight
    clients with it: they are retried in a new pool, up to 3 times each."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    weeks, time_limit, seed, gap = args
    queue = list(reversed(todo))
    attempts: dict[str, int] = {}
    window = jobs * 4
    while queue:
        pool = ProcessPoolExecutor(
            max_workers=jobs, initializer=_init_worker, initargs=(os.getpid(),)
        )
        running: dict[Any, Entry] = {}
        broken = False
        try:
            while queue or running:
                while queue and len(running) < window and not broken:
                    e = queue.pop()
                    fut = pool.submit(
                        solve_one, e.key, e.data, weeks, time_limit, seed, workers, gap
                    )
                    running[fut] = e
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    e = running.pop(fut)
                    try:
                        record, plan_json = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        attempts[e.key] = attempts.get(e.key, 0) + 1
                        if attempts[e.key] >= 3:
                            finished(
                                e,
                                {"status": "error", "error": "the worker process died"},
                                None,
                            )
                        else:
                            queue.append(e)
                        continue
                    finished(e, record, plan_json)
                if broken and not running:
                    break
        except BaseException:  # Ctrl-C: stop the workers; finished plans are on disk
            procs = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in procs:
                proc.terminate()
            raise
        pool.shutdown(wait=not broken, cancel_futures=True)


def run_dask(todo: list[Entry], args: tuple, jobs: int, address: str, finished) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError(
            "--dask", ["needs dask: pip install 'dask[distributed]' (or run without --dask)"]
        ) from None
    weeks, time_limit, seed, gap = args
    cluster = None
    if address == "local":
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        try:
            client = Client(address, timeout="20s")
        except (OSError, TimeoutError, ValueError, TypeError) as e:
            hint = (
                "a tls:// scheduler needs TLS settings: configure distributed.comm.tls "
                "(dask config) or use a tcp:// address"
                if str(address).startswith("tls://")
                else "check the address"
            )
            raise InputError(
                "--dask",
                [f"cannot reach the scheduler at {shorten(address)} ({shorten(e, 120)}); {hint}"],
            ) from None
    try:
        try:
            client.wait_for_workers(1, timeout=DASK_WORKER_WAIT)
        except (TimeoutError, OSError) as e:
            raise InputError(
                "--dask",
                [
                    f"the scheduler at {shorten(address)} has no workers (waited "
                    f"{DASK_WORKER_WAIT:g} s); start dask workers or use --dask local"
                ],
            ) from e
        nthreads = sum(client.nthreads().values()) or jobs
        window = max(4, nthreads * 4)
        queue = list(reversed(todo))
        ac = as_completed()
        running: dict[str, Entry] = {}

        def submit() -> None:
            e = queue.pop()
            fut = client.submit(
                solve_one,
                e.key,
                e.data,
                weeks,
                time_limit,
                seed,
                1,
                gap,
                key=f"legback-{e.key}-{e.digest[:12]}",
                pure=False,
            )
            running[fut.key] = e
            ac.add(fut)

        while queue and len(running) < window:
            submit()
        for fut in ac:
            e = running.pop(fut.key)
            try:
                record, plan_json = fut.result()
            except Exception as exc:  # a killed worker, a lost task
                record, plan_json = (
                    {"status": "error", "error": f"{exc.__class__.__name__}: {exc}"},
                    None,
                )
            fut.release()
            finished(e, record, plan_json)
            if queue:
                submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

#!/usr/bin/env python3
"""Turns a headroom sweep folder into llm-d Benchmark Reports with llm-d-benchmark's own converter.

Each point's summary.json (vLLM bench serve's key names) becomes the `vllm bench serve --save-result` JSON the
converter reads (num_prompts, request_rate "inf", max_concurrency and date added; the rest as headroom wrote it),
then `python3 -m benchmark_report.cli -w vllm-benchmark -b 0.2.1` converts it. Needs pydantic 2, pyyaml and numpy.

    tools/llmd-br-roundtrip.py SWEEP LLMD_BENCHMARK_CHECKOUT OUT

writes OUT/vllm-bench/c{N}.json and OUT/br/c{N}.yaml, one per point.
"""
import json
import pathlib
import subprocess
import sys

import yaml


def main(sweep: pathlib.Path, llmd: pathlib.Path, out: pathlib.Path) -> None:
    analysis = llmd / "llmdbenchmark" / "analysis"
    (out / "vllm-bench").mkdir(parents=True, exist_ok=True)
    (out / "br").mkdir(parents=True, exist_ok=True)
    for summary_file in sorted(sweep.glob("points/*/*/summary.json")):
        summary = json.loads(summary_file.read_text())
        run = yaml.safe_load((summary_file.parent / "run.yaml").read_text())
        concurrency = int(run["inputs"]["concurrency"])
        result = {k: v for k, v in summary.items() if not isinstance(v, (dict, list))}
        result.update({
            "num_prompts": summary["completed"] + summary["failed"],
            "request_rate": "inf",
            "max_concurrency": concurrency,
            # vLLM's YYYYMMDD-HHMMSS; the converter needs one, the verdict does not depend on it.
            "date": "20261206-000000",
        })
        bench = out / "vllm-bench" / f"c{concurrency}.json"
        bench.write_text(json.dumps(result, indent=1) + "\n")
        report = (out / "br" / f"c{concurrency}.yaml").resolve()
        subprocess.run([sys.executable, "-m", "benchmark_report.cli", "-w", "vllm-benchmark", "-b", "0.2.1", "-f",
                        str(bench.resolve()), str(report)], cwd=analysis, check=True)
        print(f"{summary_file.parent.name}: {report}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*(pathlib.Path(a) for a in sys.argv[1:]))

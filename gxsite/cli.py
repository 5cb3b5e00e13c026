"""The gxsite command line: build the site, or parse reports to JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml
from mkdocs.exceptions import MkDocsException

from gxsite import build as build_mod
from gxsite import file_records, output_folders
from gxsite.site.mkdocs_site import SiteToolFailed
from gxsite.progress import Progress
from gxsite.report import Report


def _cmd_build(args: argparse.Namespace) -> int:
    reports = Path(args.reports)
    if not reports.is_dir():
        args.parser.error(f"reports folder not found: {args.reports}")
    if args.jobs is not None and args.jobs < 1:
        args.parser.error(f"--jobs must be 1 or more, not {args.jobs}")
    if not Path(args.config).is_file():
        args.parser.error(f"MkDocs configuration not found: {args.config}")
    cache = None if args.no_cache else Path(args.cache)
    conflict = output_folders.folder_conflict(reports, Path(args.content), Path(args.site), cache,
                                         Path(args.config).resolve().parent)
    if conflict:
        args.parser.error(conflict)
    try:
        result = build_mod.build(reports, Path(args.content), Path(args.site), Path(args.config),
                                 cache_dir=cache, workers=args.jobs, progress=Progress())
    except (MkDocsException, yaml.YAMLError, output_folders.BuildRunning, SiteToolFailed, OSError) as error:
        if args.debug:
            raise
        print(f"gxsite: {_failure(error, args)}", file=sys.stderr)
        return 1
    print(result.summary())
    if args.summary:
        _write_summary(result, args.summary)
    if args.strict:
        return _strict_verdict(result)
    return 0


def _failure(error: Exception, args: argparse.Namespace) -> str:
    """One line a maintainer understands: what failed, that the old site is untouched, what to do."""
    if isinstance(error, output_folders.BuildRunning):
        return f"{error} (the site was not touched by this build)"
    kept = f"build failed, {args.content}/ and {args.site}/ left as they were"
    if isinstance(error, yaml.YAMLError):
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        return f"{kept}: {args.config} is not valid YAML{at}: {getattr(error, 'problem', None) or error}"
    if isinstance(error, SiteToolFailed):
        return f"{kept}: {error}"
    if isinstance(error, MkDocsException):
        # a configuration or theme problem, already logged by MkDocs
        return f"{kept}: MkDocs: {error}; check {args.config}"
    where = f" ({_shown(str(error.filename))})" if getattr(error, "filename", None) else ""
    return (f"{kept}: {error.strerror or type(error).__name__}{where}; check that the output folders "
            f"are writable and the disk has room (run with --debug for the traceback)")


def _shown(text: str) -> str:
    # File names come from the reports folder: keep their control characters
    # from moving the cursor or recolouring the terminal.
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _strict_verdict(result: build_mod.BuildResult) -> int:
    """--strict: fail for what is wrong with the build itself, not for what the reports say.

    A file that could not be read at all, or a build that read no report, fails it; a
    publisher's arithmetic error is a finding the site publishes, so it is named (a
    maintainer may want to look) but does not stop the deploy."""
    for record in result.unread:
        print(f"gxsite: --strict: could not read {_shown(record.source.path)}: {_shown(_reasons(record))}",
              file=sys.stderr)
    for record, check in result.failures():
        print(f"gxsite: note: {_shown(record.source.path)}: the publisher's figures break {check.rule} "
              f"(published on the site as a finding)", file=sys.stderr)
    if result.unread or not result.records:
        print(f"gxsite: --strict: build failed: {len(result.unread)} files could not be read, "
              f"{len(result.records)} records parsed", file=sys.stderr)
        return 1
    return 0


def _reasons(record: Report) -> str:
    return "; ".join(p.message or p.code for p in record.problems if p.where == "report") \
        or "no tables found"


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]()<>#!|{}~"})


def _md(text: str) -> str:
    """Report text in the job summary's Markdown: shown as written, never a link, image or markup."""
    return _shown(text).translate(_MARKDOWN_SPECIAL)


def _write_summary(result: build_mod.BuildResult, target: str) -> None:
    """A Markdown account of what a maintainer should look at, appended to `target` (GitHub
    Actions shows $GITHUB_STEP_SUMMARY on the run's page)."""
    lines = [f"### {result.summary().removeprefix('gxsite: ')}", ""]
    if result.unread:
        lines += ["**Files that could not be read** (listed on 未能读取的报告):", ""]
        lines += [f"- {_md(r.source.path)}: {_md(_reasons(r))}" for r in result.unread]
        lines.append("")
    if result.failures():
        lines += ["**Publishers' errors** (published on the site as findings):", ""]
        lines += [f"- {_md(r.source.path)}: {c.rule}" for r, c in result.failures()]
        lines.append("")
    with open(target, "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def _cmd_parse(args: argparse.Namespace) -> int:
    for name in args.files:
        record = file_records.parse_and_check(Path(name), name)
        if args.json:
            print(json.dumps(record.to_json(), ensure_ascii=False, sort_keys=False))
        else:
            problems = ", ".join(p.code for p in record.problems) or "none"
            tables = ",".join(k for k in ("active", "requests", "reviews") if getattr(record, k)) or "none"
            print(f"{name}: agency={record.agency.name} year={record.year} template={record.template} "
                  f"tables={tables} problems={problems}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gxsite", description="Build the 政府信息公开年度报告 dashboard from raw reports.")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser(
        "build", help="read raw_reports/, write content/ and build the site",
        description="Read every file in the reports folder, write the Markdown pages into the content folder "
                    "and build the static site with MkDocs.",
        epilog="example: gxsite build --reports raw_reports --site site --strict\n\n"
               "exit codes: 0 built; 1 the build failed (site left as it was), or with --strict a file\n"
               "could not be read or no report was read (the site is still built); 2 usage error",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--reports", default="raw_reports", help="folder of raw reports (default: raw_reports)")
    build.add_argument("--content", default="content", help="generated Markdown folder (default: content)")
    build.add_argument("--site", default="site", help="output site folder (default: site)")
    build.add_argument("--config", default="mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    build.add_argument("--strict", action="store_true",
                       help="exit non-zero when a file could not be read or no report was read at all "
                            "(a publisher's error is published as a finding and does not fail the build)")
    build.add_argument("--summary", metavar="FILE",
                       help="append a Markdown summary of unread files and publishers' errors to FILE "
                            "(e.g. $GITHUB_STEP_SUMMARY)")
    build.add_argument("--cache", default=".gxsite-cache",
                       help="record cache folder, reused across builds (default: .gxsite-cache)")
    build.add_argument("--no-cache", action="store_true", help="parse every report again; read and write no cache")
    build.add_argument("--debug", action="store_true", help="show the traceback when the build fails")
    build.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="worker processes (default and at most: one per CPU core)")
    build.set_defaults(func=_cmd_build, parser=build)

    parse = commands.add_parser(
        "parse", help="parse report files and print their records",
        description="Parse each report file; print a summary per file, or with --json one gxsite.report/1 "
                    "record per line (JSON Lines), in input order.",
        epilog="example: gxsite parse raw_reports/*.txt --json > reports.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parse.add_argument("files", nargs="+", metavar="FILE", help="report files (HTML or text)")
    parse.add_argument("--json", action="store_true", help="print JSON Lines records")
    parse.set_defaults(func=_cmd_parse)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

"""Agency pages filled from the page shell are exactly what Material's template writes."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import _populate_page, get_context
from mkdocs.structure.pages import Page

from conftest import ROOT, gold_files
from gxsite.site import page_shell
from gxsite.site import mkdocs_site as site
from gxsite.site.content import render_site
from gxsite.parsing.slugs import agency_slug
from site_records import gold_record, with_checks

# Names a shell must not fill (the template escapes or folds them) next to plain ones.
NAMES = ["甲市人民政府办公室", "乙县教育局", "丙区 卫生健康委员会", "A&B <机关>", "丁市“数据”局", "  戊市  财政局 ",
         "己市自然资源局", "庚县公安局"]


def _content(tmp_path: Path) -> Path:
    records = []
    for index, name in enumerate(NAMES):
        for year in (2020, 2021, 2022)[: 1 + index % 3]:
            record = gold_record(gold_files()[index % len(gold_files())], year=year, path=f"r/{index}-{year}.txt")
            record["agency"]["name"] = name
            record["agency"]["slug"] = agency_slug(name, "")
            records.append(record)
    content = tmp_path / "content"
    for relative, data in render_site(with_checks(records), [], ROOT).items():
        target = content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return content


def test_every_filled_page_equals_the_template_output(tmp_path):
    content = _content(tmp_path)
    site._warm_init(str(ROOT / "mkdocs.yml"), str(content), str(tmp_path / "site"),
                    site.PageCache(tmp_path / "cache", "f" * 64), 0)
    worker = site._WORKER
    config, template, shell = worker["config"], worker["env"].get_template("main.html"), worker["shell"]
    filled = 0
    for path in sorted(content.glob("agencies/*/index.md")):
        file = worker["files"].get_file_from_path(path.relative_to(content).as_posix())
        Page(None, file, config)
        _populate_page(file.page, config, worker["files"])
        page = file.page
        config._current_page, page.active = page, True
        context = get_context(worker["nav"], worker["doc_files"], config, page)
        was_trusted = shell.trusted
        assert shell.render(page, context, template) == template.render(context), page.title
        filled += was_trusted and page_shell.is_candidate(page)
        page.active = False
    # The shell was trusted and used, and names the template would change were not filled.
    assert shell.trusted and not shell.off
    assert filled >= 3
    assert not page_shell.is_candidate_title("A&#38;B &#60;机关&#62;") and not page_shell.is_candidate_title("丙区  卫生")
    assert page_shell.is_candidate_title("丙区 卫生健康委员会")

import io
import json

from service.filters import BadRecord, Record, require_text, run_filter


def upper(record: Record) -> Record:
    return {"text": require_text(record).upper()}


def run(lines: list[str]) -> tuple[int, list[dict[str, object]]]:
    out = io.StringIO()
    status = run_filter(upper, io.StringIO("\n".join(lines) + "\n"), out)
    return status, [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_input_line_gets_exactly_one_output_line_in_order() -> None:
    status, rows = run(['{"text": "a"}', '{"text": "b"}'])
    assert status == 0
    assert rows == [{"text": "A"}, {"text": "B"}]


def test_bad_line_gets_an_error_and_the_rest_still_run() -> None:
    status, rows = run(['{"text": "a"}', "not json", '{"nope": 1}', "[1]", '{"text": "z"}'])
    assert status == 1
    assert rows[0] == {"text": "A"} and rows[-1] == {"text": "Z"}
    assert all("error" in row for row in rows[1:4])
    assert "text" in str(rows[2]["error"])


def test_a_crashing_handler_reports_the_line_without_stopping() -> None:
    def crash(record: Record) -> Record:
        raise RuntimeError("boom with secret data")

    out = io.StringIO()
    status = run_filter(crash, io.StringIO('{"text": "a"}\n{"text": "b"}\n'), out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert status == 1 and len(rows) == 2
    assert "secret" not in rows[0]["error"]


def test_require_text_names_the_missing_field() -> None:
    try:
        require_text({"txt": "x"})
    except BadRecord as exc:
        assert "'text'" in str(exc)
    else:
        raise AssertionError("expected BadRecord")

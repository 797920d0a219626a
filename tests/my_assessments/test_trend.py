"""The trend chart's geometry and "since last time", as pure functions."""

from datetime import UTC, datetime, timedelta

from assessments.trend import since_last_time, trend_chart

START = datetime(2026, 1, 1, tzinfo=UTC)


def test_there_is_no_chart_below_two_assessments():
    assert trend_chart([]) is None
    assert trend_chart([(START, 3, "low", False)]) is None


def test_points_go_up_the_chart_and_time_goes_right():
    chart = trend_chart([(START, 0, "low", False), (START + timedelta(days=30), 9, "high", False)])
    first, last = chart.marks
    assert first.x == chart.plot_left and last.x == chart.plot_right
    assert last.y < first.y, "more points is higher up"
    assert first.y == chart.plot_bottom


def test_a_long_gap_looks_long():
    chart = trend_chart(
        [
            (START, 1, "low", False),
            (START + timedelta(days=1), 1, "low", False),
            (START + timedelta(days=10), 1, "low", False),
        ]
    )
    a, b, c = (m.x for m in chart.marks)
    assert (c - b) > 5 * (b - a)


def test_a_stop_is_drawn_in_the_high_band_whatever_its_points():
    chart = trend_chart([(START, 0, "high", True), (START + timedelta(days=1), 2, "low", False)])
    high = next(band for band in chart.bands if band.level == "high")
    stop = chart.marks[0]
    assert high.y <= stop.y <= high.y + high.height
    assert "had a reason to stop (high risk)" in chart.description


def test_the_bands_follow_the_rulebook():
    chart = trend_chart([(START, 0, "low", False), (START, 0, "low", False)])
    low, moderate, high = chart.bands
    assert (low.level, moderate.level, high.level) == ("low", "moderate", "high")
    assert high.y < moderate.y < low.y


def test_since_last_time_names_what_appeared_and_what_went_away():
    a, b, c = ({"rule_id": r, "title": r} for r in ["R-A", "R-B", "R-C"])
    changes = since_last_time(latest=[a, c], previous=[a, b])
    assert changes.appeared == (c,)
    assert changes.went_away == (b,)


def test_it_labels_at_most_five_ticks_however_high_the_points():
    for points in (0, 10, 30, 60, 200):
        later = START + timedelta(days=7)
        chart = trend_chart([(START, 0, "low", False), (later, points, "high", False)])
        assert 3 <= len(chart.ticks) <= 5, (points, chart.ticks)
        assert chart.ticks[0].value == 0


def test_a_band_too_thin_for_its_label_goes_unlabelled():
    chart = trend_chart([(START, 0, "low", False), (START + timedelta(days=7), 60, "high", False)])
    low = next(band for band in chart.bands if band.level == "low")
    high = next(band for band in chart.bands if band.level == "high")
    assert not low.labelled and high.labelled

"""Incoming batches, the date promised to a pre-order, what to reorder (pure rules)."""

from __future__ import annotations

from datetime import date

from commerce.stock import StockFigures, restock_suggestion, split_availability

DEC_4, DEC_18 = date(2026, 12, 4), date(2026, 12, 18)


def stock(*, on_hand=0, reserved=0, batches=((DEC_4, 5), (DEC_18, 20)), preordered=0, alert=0, safety=0):
    incoming = sum(qty for _, qty in batches)
    return StockFigures("X", on_hand, reserved, incoming, batches[0][0] if batches else None, alert, safety,
                        preordered, tuple(batches))


def test_virtual_counts_incoming_once_promised_to_a_preorder():
    assert stock(on_hand=4, preordered=6).virtual == 4 + 25 - 6
    assert stock(on_hand=4).to_dict()["virtual"] == 29


def test_a_preorder_is_promised_the_eta_of_the_batch_that_covers_its_last_unit():
    assert split_availability(stock(on_hand=4), 9, preorderable=False).preorder_date == DEC_4  # 5 from the first
    assert split_availability(stock(on_hand=4), 10, preorderable=False).preorder_date == DEC_18  # 6th unit
    # units already promised to earlier pre-orders come first
    assert split_availability(stock(preordered=4), 2, preorderable=False).preorder_date == DEC_18


def test_no_date_is_promised_from_a_late_batch_nor_beyond_incoming():
    late = split_availability(stock(), 3, preorderable=False, today=date(2026, 12, 10))
    assert (late.preorder, late.preorder_date) == (3, None)
    assert split_availability(stock(), 3, preorderable=False, today=date(2026, 12, 1)).preorder_date == DEC_4
    backorder = split_availability(stock(batches=()), 3, preorderable=True)
    assert (backorder.preorder, backorder.preorder_date) == (3, None)


def test_a_flat_incoming_figure_keeps_its_single_date():
    flat = StockFigures("X", 0, 0, 10, DEC_4)
    assert split_availability(flat, 6, preorderable=False).preorder_date == DEC_4


def test_the_suggestion_climbs_back_above_the_threshold_and_the_safety_stock_at_least_one_lot():
    # 2 available, 0 incoming, threshold 8: 7 missing to be back above it
    assert restock_suggestion(stock(on_hand=2, batches=(), alert=8, safety=3)) == 7
    assert restock_suggestion(stock(on_hand=2, batches=(), alert=8, safety=3), reorder_qty=25) == 25
    # pre-orders eat the incoming: 25 coming, 30 promised, threshold 10 -> 16
    assert restock_suggestion(stock(on_hand=0, preordered=30, alert=10)) == 16
    # incoming already covers it: nothing to order, even with a usual lot
    assert restock_suggestion(stock(on_hand=2, alert=8), reorder_qty=25) == 0
    assert restock_suggestion(stock(on_hand=0, batches=(), safety=5)) == 5

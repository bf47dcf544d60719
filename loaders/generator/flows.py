"""The life of one production order, from supplier lots to hospitals, as EPCIS events.

`World` holds the small cross-order state (lot pools, counters, factory clocks);
`World.order()` returns one order's events sorted by time. Nothing here grows
with the number of orders except counters.
"""
from __future__ import annotations

import math
from bisect import bisect_left

from loaders.generator.clock import DAY, HOUR, MINUTE, day_string
from loaders.generator.masterdata import MANUFACTURER_CP, MasterData, Product, Site
from loaders.generator.rand import StableRandom

OE, AE, TE = "ObjectEvent", "AggregationEvent", "TransformationEvent"
BT = "urn:epcglobal:cbv:bt:"

P_IN_TRANSIT = 0.01  # shipments that are never received
P_NON_CONFORMANT = 0.004
LOT_MAX_AGE = 150 * DAY  # older remainders are written off rather than used
INSPECTION_CHUNK = 24


class Lot:
    __slots__ = ("product", "number", "epc_class", "remaining", "born", "last")

    def __init__(self, product: Product, number: str, qty: float, born: int):
        self.product = product
        self.number = number
        self.epc_class = product.lgtin_prefix + number
        self.remaining = qty
        self.born = born
        self.last = born  # time of the latest event that used this lot


class Draw:
    """An order's allocation of one component: (lot, qty) slices consumed front to back."""

    __slots__ = ("slices", "i")

    def __init__(self) -> None:
        self.slices: list[list] = []
        self.i = 0

    def take(self, qty: int, out: list[dict], t: int) -> None:
        while qty > 0:
            piece = self.slices[self.i]
            lot, avail = piece
            n = min(qty, avail)
            out.append({"epcClass": lot.epc_class, "quantity": n})
            lot.last = t
            qty -= n
            piece[1] -= n
            if piece[1] == 0:
                self.i += 1


class Case:
    __slots__ = ("sscc", "items", "packs")

    def __init__(self, sscc: str, items: list[str], packs: list[Case] | None = None):
        self.sscc = sscc
        self.items = items  # EPCs of the children: devices, or the inner packs' SSCCs
        self.packs = packs or []  # the inner packs, when there are any


class World:
    def __init__(self, md: MasterData, rng: StableRandom):
        self.md = md
        self.rng = rng
        self.serial_next: dict[str, int] = {}
        self.sscc_next: dict[str, int] = {}
        self.lot_seq = 0
        self.doc_seq = {"PO": 0, "DESADV": 0, "RMA": 0}
        self.comp_pools: dict[tuple[str, str], list[Lot]] = {}
        self.raw_pools: dict[str, list[Lot]] = {}
        self.factory_free = {f.sgln: 0 for f in md.factories}
        self.fg_cum = _cum([p.demand for p in md.finished_goods])
        self.dc_cum = _cum(md.dc_weights)
        self.lots = 0
        self.containers = 0
        self.events: list[tuple] = []  # the current order's (t, seq, type, site, body)

    # ------------------------------------------------------------------ helpers

    def _u(self, lo: float, hi: float) -> int:
        return int(lo + self.rng.random() * (hi - lo))

    def _pick(self, items: list, cum: list[float]):
        return items[bisect_left(cum, self.rng.random() * cum[-1])]

    def emit(self, t: int, etype: str, site: Site, body: dict) -> None:
        self.events.append((t, len(self.events), etype, site, body))

    def serial(self, product: Product) -> str:
        n = self.serial_next.get(product.code, 0) + 1
        self.serial_next[product.code] = n
        return f"{product.sgtin_prefix}{product.code}{n:08d}"

    def sscc(self, cp: str, ext: str) -> str:
        # extension digit + serial reference = 17 - len(company prefix) digits
        key = cp + ext
        n = self.sscc_next.get(key, 0) + 1
        self.sscc_next[key] = n
        self.containers += 1
        return f"urn:epc:id:sscc:{cp}.{ext}{n:0{16 - len(cp)}d}"

    def lot_number(self, product: Product, t: int) -> str:
        self.lot_seq += 1
        self.lots += 1
        d = day_string(t)
        return f"{product.code}{d[2:4]}{d[5:7]}{self.lot_seq:06d}"

    def biz_transaction(self, kind: str, issuer_cp: str, t: int) -> list[dict]:
        self.doc_seq[kind] += 1
        typ = {"PO": "po", "DESADV": "desadv", "RMA": "rma"}[kind]
        return [{"type": typ, "bizTransaction": f"{BT}{issuer_cp}:{kind}-{day_string(t)[:4]}-{self.doc_seq[kind]:07d}"}]

    def transit(self, a: Site, b: Site) -> int:
        if a.country == b.country:
            return self._u(0.5 * DAY, 3 * DAY)
        if a.region == b.region:
            return self._u(2 * DAY, 6 * DAY)
        return self._u(5 * DAY, 14 * DAY)

    def ship(self, t: int, frm: Site, to: Site, bt: list[dict], epcs: list[str] | None = None,
             qty: list[dict] | None = None, ship_disp: str = "in_transit", recv_disp: str = "in_progress",
             can_stay_in_transit: bool = True) -> int | None:
        """Shipping at `frm`, then receiving at `to`; returns the receipt time, or
        None when the shipment stays in transit."""
        what = {"epcList": epcs} if epcs is not None else {"quantityList": qty}
        self.emit(t, OE, frm, {**what, "action": "OBSERVE", "bizStep": "shipping", "disposition": ship_disp,
                               "readPoint": frm.ref, "bizLocation": frm.ref, "bizTransactionList": bt,
                               "sourceList": frm.sources, "destinationList": to.destinations})
        if can_stay_in_transit and self.rng.random() < P_IN_TRANSIT:
            return None
        t_in = t + self.transit(frm, to)
        self.emit(t_in, OE, to, {**what, "action": "OBSERVE", "bizStep": "receiving", "disposition": recv_disp,
                                 "readPoint": to.ref, "bizLocation": to.ref, "bizTransactionList": bt,
                                 "sourceList": frm.sources, "destinationList": to.destinations})
        return t_in

    def observe(self, t: int, site: Site, epcs: list[str], step: str, disp: str, action: str = "OBSERVE",
                read_point: Site | None = None) -> None:
        self.emit(t, OE, site, {"epcList": epcs, "action": action, "bizStep": step, "disposition": disp,
                                "readPoint": (read_point or site).ref, "bizLocation": site.ref})

    def aggregate(self, t: int, site: Site, action: str, parent: str, children: list[str]) -> None:
        step = "packing" if action == "ADD" else "unpacking"
        self.emit(t, AE, site, {"parentID": parent, "childEPCs": children, "action": action, "bizStep": step,
                                "disposition": "in_progress", "readPoint": site.ref, "bizLocation": site.ref})

    # ------------------------------------------------------------------ supply side

    def _raw_lots(self, raw: Product, qty: float, t: int, site: Site) -> list[dict]:
        """Input material (raw or processed) for a lot made at `t`, as inputQuantityList.

        Only raw lots whose latest use is before `t` qualify, so each lot's
        events stay in time order even though orders request lots out of order.
        """
        pool = self.raw_pools.setdefault(raw.code, [])
        pool[:] = [lot for lot in pool if lot.remaining > 1e-9 and lot.born > t - 2 * LOT_MAX_AGE]
        out: list[dict] = []
        for lot in pool:
            if qty <= 1e-9:
                break
            if lot.last <= t - HOUR:
                n = min(qty, lot.remaining)
                out.append(_qty(lot.epc_class, n, raw.uom))
                lot.remaining -= n
                lot.last = t
                qty -= n
        if qty > 1e-9:
            size = max(qty, self._u(*raw.lot_size))
            if raw.uom is None:
                size = math.ceil(size)
            lot = self._make_lot(raw, size, t - self._u(3 * DAY, 20 * DAY), site)
            out.append(_qty(lot.epc_class, qty, raw.uom))
            lot.remaining -= qty
            lot.last = t
            pool.append(lot)
        return out

    def _make_lot(self, product: Product, size: float, t: int, site: Site) -> Lot:
        """A new lot made at `site` at `t`: commissioned, or transformed from lots
        of its input material (which may in turn be made from theirs)."""
        lot = Lot(product, self.lot_number(product, t), size, t)
        out_q = [_qty(lot.epc_class, size, product.uom)]
        done = {"bizStep": "commissioning", "disposition": "active", "readPoint": site.ref, "bizLocation": site.ref,
                "ilmd": _ilmd(lot.number, t + product.shelf_days * DAY)}
        if product.raw is None:
            self.emit(t, OE, site, {"quantityList": out_q, "action": "ADD", **done})
        else:
            raw, per = product.raw
            amount = size * per
            amount = round(amount, 1) if raw.uom else math.ceil(amount)
            self.emit(t, TE, site, {"inputQuantityList": self._raw_lots(raw, amount, t, site),
                                    "outputQuantityList": out_q, **done})
        return lot

    def _new_component_lot(self, comp: Product, factory: Site, need: int, t_plan: int) -> tuple[Lot, int]:
        site = comp.site
        # Early enough that even an intercontinental lot lands before the order starts.
        t_make = t_plan - self._u(20 * DAY, 35 * DAY)
        size = max(need, round(self._u(*comp.lot_size), -2))
        lot = self._make_lot(comp, size, t_make, site)
        out_q = [{"epcClass": lot.epc_class, "quantity": size}]
        t_ship = t_make + self._u(1 * DAY, 4 * DAY)
        arrived = self.ship(t_ship, site, factory, self.biz_transaction("PO", MANUFACTURER_CP, t_ship),
                            qty=out_q, can_stay_in_transit=False)
        lot.last = arrived
        return lot, arrived

    def _allocate(self, comp: Product, factory: Site, need: int, t_plan: int) -> tuple[Draw, int]:
        """FIFO from the factory's stock of `comp`, topped up with new supplier lots."""
        pool = self.comp_pools.setdefault((factory.sgln, comp.code), [])
        pool[:] = [lot for lot in pool if lot.remaining > 0 and lot.born > t_plan - LOT_MAX_AGE]
        draw, latest = Draw(), 0
        for lot in pool:
            if need == 0:
                break
            n = min(need, lot.remaining)
            draw.slices.append([lot, n])
            lot.remaining -= n
            need -= n
        if need > 0:
            lot, arrived = self._new_component_lot(comp, factory, need, t_plan)
            draw.slices.append([lot, need])
            lot.remaining -= need
            latest = arrived
            pool.append(lot)
        return draw, latest

    # ------------------------------------------------------------------ the order

    def order(self, size: int, t_plan: int) -> list[tuple]:
        """Events of one production order of `size` finished devices, sorted by time."""
        self.events = []
        rng, u = self.rng, self._u
        fg = self.md.finished_goods[bisect_left(self.fg_cum, rng.random() * self.fg_cum[-1])]
        factory = rng.choice(fg.factories)
        lines = factory.lines

        subs = _build_order(fg)
        needs: dict[Product, int] = {}
        for sa in subs:
            for comp, per in sa.bom:
                needs[comp] = needs.get(comp, 0) + size * per
        for comp, per in fg.final_parts:
            needs[comp] = needs.get(comp, 0) + size * per
        draws, t0 = {}, max(t_plan, self.factory_free[factory.sgln])
        for comp, need in needs.items():
            draws[comp], arrived = self._allocate(comp, factory, need, t_plan)
            t0 = max(t0, arrived + u(2 * HOUR, 12 * HOUR))

        # Sub-assemblies, in batches alternating between the two lines; those
        # built from other serialised sub-assemblies (core assemblies) one by one.
        clocks = [t0, t0 + u(5 * MINUTE, 20 * MINUTE)]
        serials: dict[Product, list[str]] = {}
        batch_no = 0
        for sa in subs:
            if sa.subassemblies:
                serials[sa], _, clocks = self._assemble(sa, [serials[k] for k in sa.subassemblies], sa.bom, draws,
                                                        size, clocks, factory, "in_progress")
                continue
            outs = serials[sa] = [self.serial(sa) for _ in range(size)]
            ilmd = _ilmd(self.lot_number(sa, t0), t0 + sa.shelf_days * DAY)
            i = 0
            while i < size:
                b = min(size - i, u(60, 150))
                li = batch_no & 1
                batch_no += 1
                clocks[li] += u(25 * MINUTE, 70 * MINUTE)
                iq: list[dict] = []
                for comp, per in sa.bom:
                    draws[comp].take(b * per, iq, clocks[li])
                self.emit(clocks[li], TE, factory, {
                    "inputQuantityList": iq, "outputEPCList": outs[i:i + b], "bizStep": "commissioning",
                    "disposition": "in_progress", "readPoint": lines[li].ref, "bizLocation": factory.ref,
                    "ilmd": ilmd})
                i += b

        # Final assembly.
        devices, made, clocks = self._assemble(fg, [serials[sa] for sa in fg.subassemblies], fg.final_parts,
                                               draws, size, clocks, factory, "active")
        self.factory_free[factory.sgln] = max(clocks) + u(HOUR, 3 * HOUR)

        # Inspection in chunks; non-conformant devices are scrapped at the factory.
        good: list[tuple[str, int]] = []
        t_prev = 0
        for c in range(0, size, INSPECTION_CHUNK):
            chunk = devices[c:c + INSPECTION_CHUNK]
            t = max(t_prev + MINUTE, max(made[c:c + INSPECTION_CHUNK]) + u(10 * MINUTE, 40 * MINUTE))
            t_prev = t
            bad = [d for d in chunk if rng.random() < P_NON_CONFORMANT]
            ok = [d for d in chunk if d not in bad] if bad else chunk
            if ok:
                self.observe(t, factory, ok, "inspecting", "conformant")
                good += [(d, t) for d in ok]
            if bad:
                self.observe(t + MINUTE, factory, bad, "inspecting", "non_conformant")
                self.observe(t + u(2 * HOUR, 2 * DAY), factory, bad, "decommissioning", "inactive", "DELETE")

        # Inner packs (deep shape only), cases, then pallets.
        if fg.pack_size:
            packs, t_prev = self._pack(factory, good, fg.pack_size, "2", 0)
            cases, t_prev = self._pack(factory, packs, fg.case_size // fg.pack_size, "0", t_prev)
        else:
            cases, t_prev = self._pack(factory, good, fg.case_size, "0", 0)
        pallets: list[tuple[Case, list[Case]]] = []
        for c in range(0, len(cases), fg.cases_per_pallet):
            part = cases[c:c + fg.cases_per_pallet]
            t_prev = max(t_prev + 5 * MINUTE, part[-1][1] + u(10 * MINUTE, 40 * MINUTE))
            pallet = Case(self.sscc(MANUFACTURER_CP, "1"), [case.sscc for case, _ in part])
            self.aggregate(t_prev, factory, "ADD", pallet.sscc, pallet.items)
            pallets.append((pallet, [case for case, _ in part]))

        # Factory → distribution centres, split by where the demand is.
        by_dc: dict[str, list] = {}
        for p in pallets:
            dc = self._pick(self.md.dcs, self.dc_cum)
            by_dc.setdefault(dc.sgln, [dc, []])[1].append(p)
        for dc, group in by_dc.values():
            t = t_prev + u(6 * HOUR, 3 * DAY)
            bt = self.biz_transaction("DESADV", MANUFACTURER_CP, t)
            arrived = self.ship(t, factory, dc, bt, epcs=[p.sscc for p, _ in group])
            if arrived is not None:
                self._at_dc(dc, fg, group, arrived)

        events, self.events = self.events, []
        events.sort()
        return events

    def _assemble(self, product: Product, kids: list[list[str]], parts, draws: dict, size: int,
                  after: list[int], factory: Site, disposition: str) -> tuple[list[str], list[int], list[int]]:
        """`size` serials of `product`, one per event so genealogy is per serial:
        unit i consumes serial i of each list in `kids` plus `parts` from `draws`.
        Returns the serials, their times and the two lines' clocks."""
        u = self._u
        start = max(after) + u(30 * MINUTE, 90 * MINUTE)
        clocks = [start, start + u(0, 5 * MINUTE)]
        ilmd = _ilmd(self.lot_number(product, start), start + product.shelf_days * DAY)
        lines = factory.lines
        outs: list[str] = []
        made: list[int] = []
        for i in range(size):
            li = i & 1
            clocks[li] += u(40, 110)
            t = clocks[li]
            out = self.serial(product)
            iq: list[dict] = []
            for comp, per in parts:
                draws[comp].take(per, iq, t)
            self.emit(t, TE, factory, {
                "inputEPCList": [k[i] for k in kids], "inputQuantityList": iq, "outputEPCList": [out],
                "bizStep": "commissioning", "disposition": disposition, "readPoint": lines[li].ref,
                "bizLocation": factory.ref, "ilmd": ilmd})
            outs.append(out)
            made.append(t)
        return outs, made, clocks

    def _pack(self, site: Site, units: list, per: int, ext: str, t_prev: int) -> tuple[list, int]:
        """Packs `units` (device, ready time) or (Case, packed time), `per` to a new
        SSCC; returns the (Case, packed time) list and the last packing time."""
        boxes: list[tuple[Case, int]] = []
        for c in range(0, len(units), per):
            part = units[c:c + per]
            t = max(t_prev + 2 * MINUTE, max(tr for _, tr in part) + self._u(5 * MINUTE, 25 * MINUTE))
            t_prev = t
            kids = [x for x, _ in part]
            packs = kids if isinstance(kids[0], Case) else []
            box = Case(self.sscc(MANUFACTURER_CP, ext), [k.sscc for k in packs] or kids, packs)
            self.aggregate(t, site, "ADD", box.sscc, box.items)
            boxes.append((box, t))
        return boxes, t_prev

    # ------------------------------------------------------------------ downstream

    def _at_dc(self, dc: Site, fg: Product, pallets: list, t_in: int) -> None:
        u, rng = self._u, self.rng
        customers, cum = self.md.dc_customers[dc.sgln]
        t = t_in
        by_customer: dict[str, list] = {}
        for pallet, cases in pallets:
            t += u(2 * HOUR, 18 * HOUR)
            self.aggregate(t, dc, "DELETE", pallet.sscc, pallet.items)
            for case in cases:
                if rng.random() < 0.02 or not customers:
                    continue  # stays in DC stock
                cust = self._pick(customers, cum)
                by_customer.setdefault(cust.sgln, [cust, [], 0])
                entry = by_customer[cust.sgln]
                entry[1].append(case)
                entry[2] = t
        for cust, cases, ready in by_customer.values():
            ts = ready + u(1 * DAY, 21 * DAY)
            bt = self.biz_transaction("PO", cust.owner.cp, ts)
            disp = cust.receive_disposition
            arrived = self.ship(ts, dc, cust, bt, epcs=[c.sscc for c in cases], recv_disp=disp)
            if arrived is None:
                continue
            if cust.site_type == "hospital":
                self._at_hospital(cust, dc, fg, cases, [], arrived)
            else:
                self._at_distributor(cust, dc, fg, cases, arrived)

    def _at_distributor(self, dist: Site, dc: Site, fg: Product, cases: list[Case], t_in: int) -> None:
        u, rng = self._u, self.rng
        forward: dict[str, list] = {}
        loose: list[str] = []
        packs: list[Case] = []  # inner packs sold whole
        t_unpacked = t_in
        for case in cases:
            r = rng.random()
            if r < 0.35:
                h = self._pick(dist.hospitals, dist.hospital_cum)
                forward.setdefault(h.sgln, [h, []])[1].append(case)
            elif r < 0.95:
                t_unpacked += u(1 * HOUR, 20 * HOUR)
                self.aggregate(t_unpacked, dist, "DELETE", case.sscc, case.items)
                for pack in case.packs:
                    if rng.random() < 0.5:
                        packs.append(pack)
                        continue
                    t_unpacked += u(5 * MINUTE, 2 * HOUR)
                    self.aggregate(t_unpacked, dist, "DELETE", pack.sscc, pack.items)
                    loose += pack.items
                if not case.packs:
                    loose += case.items
            # else: the case stays in the distributor's stock
        for h, group in forward.values():
            ts = t_in + u(1 * DAY, 10 * DAY)
            bt = self.biz_transaction("PO", h.owner.cp, ts)
            arrived = self.ship(ts, dist, h, bt, epcs=[c.sscc for c in group], recv_disp=h.receive_disposition)
            if arrived is not None:
                self._at_hospital(h, dc, fg, group, [], arrived)
        for i in range(0, len(packs), 3):  # whole inner packs, three to a shipment
            h = self._pick(dist.hospitals, dist.hospital_cum)
            ts = t_unpacked + u(3 * HOUR, 6 * DAY)
            bt = self.biz_transaction("PO", h.owner.cp, ts)
            group = packs[i:i + 3]
            arrived = self.ship(ts, dist, h, bt, epcs=[p.sscc for p in group], recv_disp=h.receive_disposition)
            if arrived is not None:
                self._at_hospital(h, dc, fg, group, [], arrived)
        # Unpacked devices: re-packed into the distributor's own cases, or sent loose.
        i = 0
        while i < len(loose):
            r = rng.random()
            if r < 0.04:
                i += u(1, 4)  # left on the shelf
                continue
            h = self._pick(dist.hospitals, dist.hospital_cum)
            if r < 0.40:
                k = u(4, 13)
                case = Case(self.sscc(dist.owner.cp, "0"), loose[i:i + k])
                t_pack = t_unpacked + u(2 * HOUR, 2 * DAY)
                self.aggregate(t_pack, dist, "ADD", case.sscc, case.items)
                ts = t_pack + u(2 * HOUR, 3 * DAY)
                bt = self.biz_transaction("PO", h.owner.cp, ts)
                arrived = self.ship(ts, dist, h, bt, epcs=[case.sscc], recv_disp=h.receive_disposition)
                if arrived is not None:
                    self._at_hospital(h, dc, fg, [case], [], arrived)
            else:
                k = u(1, 7)
                items = loose[i:i + k]
                ts = t_unpacked + u(3 * HOUR, 6 * DAY)
                bt = self.biz_transaction("PO", h.owner.cp, ts)
                arrived = self.ship(ts, dist, h, bt, epcs=items, recv_disp=h.receive_disposition)
                if arrived is not None:
                    self._at_hospital(h, dc, fg, [], items, arrived)
            i += k

    def _at_hospital(self, h: Site, dc: Site, fg: Product, cases: list[Case], loose: list[str],
                     t_in: int) -> None:
        u, rng = self._u, self.rng
        ready = t_in
        devices = list(loose)
        for case in cases:
            if rng.random() < 0.85:
                ready += u(1 * HOUR, 30 * HOUR)
                self.aggregate(ready, h, "DELETE", case.sscc, case.items)
                for pack in case.packs:  # opened too: devices are used loose
                    ready += u(5 * MINUTE, 2 * HOUR)
                    self.aggregate(ready, h, "DELETE", pack.sscc, pack.items)
                    devices += pack.items
                if not case.packs:
                    devices += case.items
            # else: still packed in the hospital's store room
        used: list[str] = []
        scrapped: list[str] = []
        returned: list[str] = []
        for d in devices:
            r = rng.random()
            if r < 0.012:
                returned.append(d)
            elif r < 0.03:
                scrapped.append(d)
            elif r < 0.33:
                used.append(d)
        t = ready
        while used:
            k = u(1, 9)
            t += u(6 * HOUR, 20 * DAY)
            self.observe(t, h, used[:k], fg.use_step, "dispensed")
            used = used[k:]
        if scrapped:
            self.observe(ready + u(7 * DAY, 150 * DAY), h, scrapped, "decommissioning", "inactive", "DELETE")
        if returned:
            ts = ready + u(2 * DAY, 60 * DAY)
            self.ship(ts, h, dc, self.biz_transaction("RMA", MANUFACTURER_CP, ts), epcs=returned,
                      ship_disp="returned", recv_disp="returned")


def _build_order(product: Product) -> list[Product]:
    """The serialised sub-assemblies under `product`, each after those it is built from."""
    out: list[Product] = []
    for sa in product.subassemblies:
        out += [x for x in (*_build_order(sa), sa) if x not in out]
    return out


def _qty(epc_class: str, n: float, uom: str | None) -> dict:
    if uom is None:
        return {"epcClass": epc_class, "quantity": n}
    return {"epcClass": epc_class, "quantity": round(n, 1), "uom": uom}


def _ilmd(lot: str, expiry: int) -> dict:
    return {"cbvmda:lotNumber": lot, "cbvmda:itemExpirationDate": day_string(expiry)}


def _cum(weights) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out

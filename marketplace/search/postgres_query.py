"""Queries of the PostgreSQL search backend, bounded at a million listings.

A search with a rare word (search_words says it is in at most RARE_UP_TO documents) is counted exactly. Any other
first reads a window: the newest WINDOW documents of its scope (all, a category or a province: one index range
read), testing each for the match. That tells a common search from a rare one at the cost of a fixed number of
rows, whatever the catalogue's size:

- rare (the estimated matches, window hits × scope ÷ WINDOW, are at most RARE_UP_TO, or the window holds the whole
  scope): everything is exact, as before. The matches are counted per facet and relevance tier (one pass over at
  most RARE_UP_TO + 1 rows: past that the search is read as a common one), each tier is read in creation order, by
  walking the ordering index when it is common or through the GIN index when it is rare.
- common (a word in every tenth listing: `ca phe`, `huu co`, `loai 1`): counting every match would read tens of
  thousands of rows (2.5 s for `ca phe` at 1M), and even a GIN bitmap of them grows with the catalogue (11 ms at 1M).
  So the total is shown as "more than CAP" (the estimate is at least twice that, from at least MIN_HITS hits), the
  facets list the values seen in the window without counts, and the first pages are read by walking the ordering
  index, which finds a page of common matches in a few hundred rows. Relevance tiers seen fewer than MIN_GROUP_HITS
  times in the window are read together with the next tier (a walk for a tier of one match in ten thousand would
  read the whole index). Pages past COMMON_MAX_PAGE are refused with a way to narrow down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text

from marketplace.search.analysis import fold

#: newest documents of the scope read to judge a search
WINDOW = 2000
#: estimated matches up to which a search is counted exactly
RARE_UP_TO = 2000
#: a common search's total is shown as "more than CAP"
CAP = 1000
#: hits in the window below which a search is treated as rare, whatever the estimate
MIN_HITS = 20
#: relevance tiers seen fewer times than this in the window are read with the next tier (common searches)
MIN_GROUP_HITS = 12
#: pages of a common search that can be read (24 a page); deeper, add a word or a filter (api.COMMON_MAX_PAGE)
COMMON_MAX_PAGE = 5
#: (rare searches) a tier with more matches than this is read by walking the ordering index, else through GIN
WALK_ABOVE = 2000
#: a last word with more completions than this is matched as a prefix, not as a list of words
MAX_COMPLETIONS = 24
MAX_WORD = 60
FACETS = "category_id, province_code, availability, certs"


@dataclass
class Outcome:
    ids: list[int]
    total: int
    facets: dict[str, dict[str, int | None]] = field(default_factory=dict)
    #: False when the total is a lower bound and the facet counts are unknown (common searches)
    exact: bool = True
    #: the page asked for is past what a common search reads
    too_deep: bool = False
    #: sorted by price among the newest WINDOW documents only (a common search sorted by price)
    recent_only: bool = False


def indexable(word: str) -> bool:
    return 0 < len(word) <= MAX_WORD


def terms(qwords: list[str], prefix_last: bool, min_prefix: int = 2) -> list[str]:
    # a word too long to be indexed can match nothing: '-' is a lexeme analysis never produces
    out = [f"'{w}'" if indexable(w) else "'-'" for w in qwords]
    if prefix_last and out and len(fold(qwords[-1])) >= min_prefix:
        out[-1] += ":*"
    return out


def tsquery(qwords: list[str], joiner: str, prefix_last: bool = True, min_prefix: int = 2) -> str:
    return joiner.join(terms(qwords, prefix_last, min_prefix))


def _completions(conn, prefix: str) -> list[str] | None:
    """Indexed folded words that extend `prefix` (itself included when indexed); None when there are too many
    to list, and the query keeps PostgreSQL's prefix match (slower on a big index than a list of words)."""
    pattern = prefix.replace("_", r"\_") + "%"  # words are \w+: "_" is the only LIKE wildcard in them
    found = list(
        conn.scalars(
            text(
                'SELECT DISTINCT folded COLLATE "C" FROM search_words WHERE folded COLLATE "C" LIKE :p'
                f" LIMIT {MAX_COMPLETIONS + 1}"
            ),
            {"p": pattern},
        )
    )
    return found if len(found) <= MAX_COMPLETIONS else None


def match(conn, folded: list[str]) -> tuple[str, float]:
    """The tsquery every match satisfies (all words, the last one as a prefix: search as you type), and an upper
    bound of the matches: the fewest documents any one word is in (search_words counts them; inf when unknown)."""
    out = terms(folded, prefix_last=False)
    last = folded[-1]
    per_word: list[list[str] | None] = [[w] for w in folded]
    if len(last) >= 2 and indexable(last):
        completions = _completions(conn, last)
        if completions is None:
            out[-1] = f"'{last}':*"
        else:
            out[-1] = "(" + " | ".join(f"'{w}'" for w in sorted({last, *completions})) + ")"
        per_word[-1] = None if completions is None else sorted({last, *completions})
    wanted = sorted({w for ws in per_word if ws for w in ws})
    hits = dict(conn.execute(text("SELECT folded, sum(hits) FROM search_words WHERE folded = ANY(:ws) GROUP BY 1"),
                             {"ws": wanted}).all()) if wanted else {}
    bound = min((sum(int(hits.get(w, 0)) for w in ws) if ws is not None else float("inf")) for ws in per_word)
    return " & ".join(out), bound


def _filters(q, params: dict) -> list[str]:
    clauses = []
    if q.category_id:
        clauses.append("d.category_id = :category_id")
        params["category_id"] = q.category_id
    if q.province_code:
        clauses.append("d.province_code = :province_code")
        params["province_code"] = q.province_code
    if q.cert:
        clauses.append("d.certs LIKE :cert")
        params["cert"] = f"% {q.cert} %"
    if q.availability:
        clauses.append("d.availability = :availability")
        params["availability"] = q.availability
    if q.min_price is not None:
        clauses.append("d.price >= :min_price")
        params["min_price"] = q.min_price
    if q.max_price is not None:
        clauses.append("d.price <= :max_price")
        params["max_price"] = q.max_price
    return clauses


def tiers(qwords: list[str], params: dict) -> list[str]:
    """Conditions splitting the matches into relevance tiers, best first (each match is in exactly one)."""
    params["e"] = tsquery(qwords, " & ")
    exact, title = "d.title_e @@ CAST(:e AS tsquery)", "d.title_f @@ CAST(:m AS tsquery)"
    if len(qwords) == 1:
        return [exact, f"{title} AND NOT {exact}", f"NOT {title}"]
    params["p"] = tsquery([fold(w) for w in qwords], " <-> ")
    phrase = "d.doc_f @@ CAST(:p AS tsquery)"
    return [
        f"{exact} AND {phrase}",
        f"{exact} AND NOT {phrase}",
        f"{title} AND NOT {exact} AND {phrase}",
        f"{title} AND NOT {exact} AND NOT {phrase}",
        f"NOT {title} AND {phrase}",
        f"NOT {title} AND NOT {phrase}",
    ]


def _plan(conn, walk: bool) -> None:
    """Walk an ordering index (the first rows found in order are the answer: right when matches are common) or
    read the matches through the GIN index and sort them (right when they are few). The planner cannot tell:
    it takes words as independent ("loại" and "1" are not), and a text match as cheap to test row by row."""
    conn.execute(text(f"SET LOCAL enable_bitmapscan = {'off' if walk else 'on'};"
                      f" SET LOCAL enable_indexscan = {'on' if walk else 'off'}"))


def _tier_case(tier_list: list[str]) -> str:
    if len(tier_list) == 1:
        return "0"
    cases = " ".join(f"WHEN {t} THEN {i}" for i, t in enumerate(tier_list[:-1]))
    return f"CASE {cases} ELSE {len(tier_list) - 1} END"


def _tally(rows, facets: dict, sizes: list[int]) -> None:
    for category_id, province_code, availability, certs, t, n in rows:
        if n <= 0:
            continue
        sizes[t] += n
        for name, value in (("category", str(category_id)), ("province", str(province_code)),
                            ("availability", availability), *(("cert", c) for c in certs.split())):
            facets[name][value] = facets[name].get(value, 0) + n


def _scope(q, conn) -> tuple[str, int]:
    """The leading filter the window is read on (an index per scope) and how many documents it holds, from the
    counts the triggers keep."""
    if q.category_id:
        column, value = "category_id", q.category_id
    elif q.province_code:
        column, value = "province_code", q.province_code
    else:
        size = conn.scalar(text("SELECT coalesce(sum(n), 0) FROM search_facet_counts"))
        return "TRUE", int(size)
    # the same parameter name as the filter's (_filters), so the window's statement binds it
    size = conn.scalar(text(f"SELECT coalesce(sum(n), 0) FROM search_facet_counts WHERE {column} = :v"), {"v": value})
    return f"d.{column} = :{column}", int(size)


def search(conn, q) -> Outcome:
    """Ids of one page of `q`'s results with the total and facet counts (see the module for the two regimes)."""
    params: dict = {}
    need = q.page * q.per_page
    facets: dict = {"category": {}, "province": {}, "cert": {}, "availability": {}}
    # compiling a plan, or starting parallel workers for a walk that stops after a page, costs more than the search
    conn.execute(text("SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0"))
    relevance = q.sort not in ("price", "price_per_kg", "newest") and bool(q.words)
    clauses = _filters(q, params)
    bound = float("inf")
    if q.words:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        params["m"], bound = match(conn, [fold(w) for w in q.words])
        clauses.insert(0, "d.doc_f @@ CAST(:m AS tsquery)")
    where = " AND ".join(clauses) or "TRUE"
    tier_list = tiers(q.words, params) if relevance else ["TRUE"]
    order = f"d.{q.sort}, d.listing_id" if q.sort in ("price", "price_per_kg") else "d.created DESC, d.listing_id DESC"
    sizes = [0] * len(tier_list)

    if not q.words and q.min_price is None and q.max_price is None:
        # no words: the counts the triggers keep are exact and cost a few hundred rows at most
        _tally(conn.execute(text(f"SELECT {FACETS}, 0, n FROM search_facet_counts d WHERE {where}"), params),
               facets, sizes)
        return _read(conn, q, where, order, tier_list, sizes, params, need, facets, sum(sizes), walk_all=False)

    tier = _tier_case(tier_list)
    if bound <= RARE_UP_TO:  # a word of the search is rare: count every match, as at any size
        return _exact(conn, q, where, order, tier_list, tier, params, need)
    scope, scope_size = _scope(q, conn)
    params["window"] = WINDOW
    conn.execute(text("SET LOCAL enable_bitmapscan = off"))  # the window is an ordering-index range read
    sample = conn.execute(text(
        f"SELECT {FACETS}, {tier}, count(*) FROM (SELECT * FROM search_documents d WHERE {scope}"
        f" ORDER BY d.created DESC, d.listing_id DESC LIMIT :window) d WHERE {where} GROUP BY 1, 2, 3, 4, 5"
    ), params).all()
    seen: dict = {"category": {}, "province": {}, "cert": {}, "availability": {}}
    window_sizes = [0] * len(tier_list)
    _tally(sample, seen, window_sizes)
    hits = sum(window_sizes)
    whole = scope_size <= WINDOW
    if whole:
        return _read(conn, q, where, order, tier_list, window_sizes, params, need, seen, hits, walk_all=False)
    if hits < MIN_HITS or hits * scope_size / WINDOW <= RARE_UP_TO:
        return _exact(conn, q, where, order, tier_list, tier, params, need)

    return _common(conn, q, where, order, tier_list, window_sizes, seen, params, need)


def _common(conn, q, where, order, tier_list, sample_sizes, seen, params, need) -> Outcome:
    """More than CAP matches for sure: read the first pages by walking, tiers seen fewer than MIN_GROUP_HITS times in
    the sample together with the next one; the facets are the values seen, without counts."""
    shown = {name: dict.fromkeys(values) for name, values in seen.items()}
    if q.page > COMMON_MAX_PAGE:
        return Outcome([], CAP, shown, exact=False, too_deep=True)
    groups, current, count = [], [], 0
    for t, n in zip(tier_list, sample_sizes):
        current.append(t)
        count += n
        if count >= MIN_GROUP_HITS:
            groups.append(" OR ".join(f"({c})" for c in current))
            current, count = [], 0
    if current:
        if groups:
            groups[-1] = " OR ".join([f"({groups[-1]})", *(f"({c})" for c in current)])
        else:
            groups.append(" OR ".join(f"({c})" for c in current))
    if q.sort in ("price", "price_per_kg"):
        # walking the price index finds a common word's cheapest matches only after every cheaper listing of other
        # kinds (19,000 rows for `ca phe` in one province at 1M): sort the newest documents' matches instead, and say so
        scope, _size = _scope(q, conn)
        params.update(window=WINDOW, limit=need)
        conn.execute(text("SET LOCAL enable_bitmapscan = off"))
        ids = list(conn.scalars(text(
            f"SELECT d.listing_id FROM (SELECT * FROM search_documents d WHERE {scope} ORDER BY d.created DESC,"
            f" d.listing_id DESC LIMIT :window) d WHERE {where} ORDER BY {order} LIMIT :limit"), params))
        return Outcome(ids[(q.page - 1) * q.per_page :], CAP, shown, exact=False, recent_only=True)
    outcome = _read(conn, q, where, order, groups, [CAP] * len(groups), params, need, shown, CAP, walk_all=True)
    outcome.exact = False
    return outcome


def _exact(conn, q, where, order, tier_list, tier, params, need) -> Outcome:
    """The matches counted per facet and tier through the GIN index, up to RARE_UP_TO of them: a search with more
    (its words each common, together less so) is read as a common one, from what was counted."""
    facets: dict = {"category": {}, "province": {}, "cert": {}, "availability": {}}
    sizes = [0] * len(tier_list)
    conn.execute(text("SET LOCAL enable_bitmapscan = on"))
    params["upto"] = RARE_UP_TO + 1
    _tally(conn.execute(text(f"SELECT {FACETS}, {tier}, count(*) FROM (SELECT * FROM search_documents d"
                             f" WHERE {where} LIMIT :upto) d GROUP BY 1, 2, 3, 4, 5"), params), facets, sizes)
    if sum(sizes) > RARE_UP_TO:
        return _common(conn, q, where, order, tier_list, sizes, facets, params, need)
    return _read(conn, q, where, order, tier_list, sizes, params, need, facets, sum(sizes), walk_all=False)


def _read(conn, q, where, order, tier_list, sizes, params, need, facets, total, walk_all: bool) -> Outcome:
    ids: list[int] = []
    for t, size in zip(tier_list, sizes):
        if len(ids) >= need:
            break
        if not size:
            continue
        if q.words:
            _plan(conn, walk=walk_all or size > WALK_ABOVE)
        params["limit"] = need - len(ids)
        ids += conn.scalars(
            text(f"SELECT d.listing_id FROM search_documents d WHERE {where} AND ({t}) ORDER BY {order}"
                 " LIMIT :limit"),
            params,
        )
    return Outcome(ids[(q.page - 1) * q.per_page :], total, facets)

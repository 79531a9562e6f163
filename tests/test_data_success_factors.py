"""The eight success factors, their phases and cited examples, and the spill-over effects."""

from __future__ import annotations

from data_queries import ID, rows

from llgraph.store import Store

# notation → (heading as written, phase, example's region, example's partnership or None)
FACTORS = {
    "1": ("グローバルな視点に立った地域技術の発掘", "構想段階", "福島県", "ll-fukushima-sweden"),
    "2": ("地域施策との連携", "構想段階", "福島県", "ll-fukushima-sweden"),
    "3": ("広い視野に立った交流ビジョン", "構想段階", "諏訪市", "ll-suwa-dalian"),
    "4": ("参加企業のモチベーション", "体制段階", "長崎市", None),
    "5": ("産学官ネットワークの活用", "体制段階", "島根県", None),
    "6": ("十分なコミュニケーション", "行動段階", "富山県", "ll-toyama-milan"),
    "7": ("失敗を乗り越える適応力", "行動段階", "石川県", "ll-ishikawa-daegu"),
    "8": ("長期的視点に立った国際交流", "行動段階", "飯塚市", "ll-iizuka-silicon-valley"),
}


def test_eight_success_factors_with_phase_and_example(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?n ?label ?phase ?region ?p WHERE {
             ?f a llo:SuccessFactor ; skos:notation ?n ; skos:prefLabel ?label ;
                llo:phase/skos:prefLabel ?phase ; llo:example ?e .
             ?e llo:region/rdfs:label ?region .
             OPTIONAL { ?e llo:partnership ?p }
             FILTER (LANG(?label) = "ja" && LANG(?phase) = "ja" && LANG(?region) = "ja")
           }""",
    )
    assert len(found) == 8
    expected = {
        n: (label, phase, region, p and f"{ID}partnership/{p}")
        for n, (label, phase, region, p) in FACTORS.items()
    }
    assert {n: tuple(rest) for n, *rest in found} == expected


def test_success_factor_definitions_are_as_written(store: Store) -> None:
    found = dict(
        rows(
            store,
            """SELECT ?n ?d WHERE { ?f a llo:SuccessFactor ; skos:notation ?n ; skos:definition ?d
                 FILTER (LANG(?d) = "ja") }""",
        )
    )
    assert found["1"] == (
        "伝統産業から先進技術まで、業種を問わず国際展開を視野に入れて、"
        "地域産業として育てることが必要"
    )
    assert found["8"].startswith("地域としての交流を継続することが、結果として大きな成果につながる")


def test_cited_examples_keep_the_report_text(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?d WHERE { ?f skos:notation "8" ; llo:example/schema:description ?d
             FILTER (LANG(?d) = "ja") }""",
    )
    assert len(found) == 1 and "「起業するなら飯塚」" in str(found[0][0])


def test_spillover_effects_with_country_examples(store: Store) -> None:
    found = set(
        rows(
            store,
            """SELECT ?effect ?country ?industry WHERE {
                 ?s a llo:SpilloverEffect ; skos:prefLabel ?effect ; llo:example ?e .
                 ?e llo:region/rdfs:label ?country ; dcterms:subject ?industry .
                 FILTER (LANG(?effect) = "ja" && LANG(?country) = "ja")
                 FILTER (LANG(?industry) = "ja") }""",
        )
    )
    assert found == {
        ("海外とのネットワーク", "英国", "バイオ"),
        ("産業の活性化", "ニュージーランド", "木材加工産業"),
        ("国際産業交流のノウハウ", "韓国", "住宅資材"),
        ("海外との商談増加", "イスラエル", "ハイテク産業"),
        ("産業の関係者間の協力体制の強化や拡大", "オーストリア", "金属鑄造・加工新技術"),
    }


def test_spillover_chart_base_is_119(store: Store) -> None:
    found = rows(store, "SELECT ?n WHERE { ?s a llo:ReportSection ; llo:responseBase ?n }")
    assert found == [("119",)]

def test_gunicorn_workers_warm_up_the_pdf_renderer(monkeypatch):
    import contracts.rendering
    from marketplace import gunicorn_conf

    calls = []
    monkeypatch.setattr(contracts.rendering, "warm_up", lambda: calls.append("warm"))
    gunicorn_conf.post_worker_init(worker=None)
    assert calls == ["warm"]


def test_gunicorn_workers_map_the_shared_ranking_index_at_start(app, db_session, factory, monkeypatch):
    import contracts.rendering
    from marketplace import gunicorn_conf
    from marketplace.discovery import services as discovery

    monkeypatch.setattr(contracts.rendering, "warm_up", lambda: None)
    factory.offering()
    report = discovery.refresh_index(db_session, discovery.index_dir(app), job=False)

    class Worker:
        wsgi = app

    gunicorn_conf.post_worker_init(Worker())
    assert discovery.index_manager(app).snapshot == (report.snapshot, report.seq)

def test_gunicorn_workers_warm_up_the_pdf_renderer(monkeypatch):
    import contracts.rendering
    from marketplace import gunicorn_conf

    calls = []
    monkeypatch.setattr(contracts.rendering, "warm_up", lambda: calls.append("warm"))
    gunicorn_conf.post_worker_init(worker=None)
    assert calls == ["warm"]

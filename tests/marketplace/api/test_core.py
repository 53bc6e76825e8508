from tests.helpers import api_token, bearer


def test_token_me_and_revocation(client, factory):
    user = factory.user()
    token = api_token(client, user)
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json["email"] == user.email
    assert me.json["organisation"]["kind"] == "sme"
    assert client.delete("/api/v1/tokens/current", headers=bearer(token)).status_code == 204
    again = client.get("/api/v1/me", headers=bearer(token))
    assert again.status_code == 401
    assert again.content_type == "application/problem+json"


def test_wrong_password_gives_problem_json_in_the_callers_language(client, factory):
    user = factory.user()
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": "nope-nope-nope"},
                           headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert response.status_code == 401
    assert response.json["detail"] == "이메일 주소 또는 비밀번호가 올바르지 않습니다."
    english = client.post("/api/v1/tokens", json={"email": user.email, "password": "nope-nope-nope"},
                          headers={"Accept-Language": "en"})
    assert english.json["detail"] == "The e-mail address or password is not correct."


def test_malformed_and_unknown_json_never_gives_a_500(client):
    cases = [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 422),
        ('{"email": 5, "password": null, "extra": 1}', "application/json", 422),
        ("email=x", "application/x-www-form-urlencoded", 415),
    ]
    for body, content_type, status in cases:
        response = client.post("/api/v1/tokens", data=body, content_type=content_type)
        assert response.status_code == status, body
        assert response.content_type == "application/problem+json"
        assert {"type", "title", "status", "detail"} <= set(response.json)
    fields = client.post("/api/v1/tokens", json={"email": 5, "extra": 1}).json["errors"]
    assert {e["field"] for e in fields} == {"email", "password", "extra"}


def test_organisation_profile_and_404(client, factory):
    user = factory.user()
    token = api_token(client, user)
    org_id = user.organisation_id
    response = client.get(f"/api/v1/organisations/{org_id}", headers=bearer(token))
    assert response.status_code == 200 and response.json["id"] == org_id
    missing = client.get("/api/v1/organisations/999999", headers=bearer(token))
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"


def test_unknown_api_path_is_problem_json(client):
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404 and response.content_type == "application/problem+json"


def test_openapi_document_describes_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/tokens", "/api/v1/me", "/api/v1/organisations/{organisation_id}"} <= set(spec["paths"])
    token_op = spec["paths"]["/api/v1/tokens"]["post"]
    schema_ref = token_op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert schema_ref.split("/")[-1] in spec["components"]["schemas"]
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    routed = {(rule.rule.replace("<int:", "{").replace(">", "}"), method.lower())
              for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") and rule.endpoint not in ("api.openapi_json", "api.docs")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert len(routed) >= 50
    assert routed == documented


def test_docs_page_lists_the_endpoints(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/tokens" in html and "API 문서" in html


def test_cookie_session_cannot_write_to_the_api_without_csrf(client, factory):
    from tests.helpers import login
    user = factory.user()
    login(client, user)
    assert client.get("/api/v1/me").status_code == 200
    response = client.delete("/api/v1/tokens/current")
    assert response.status_code == 400


def test_a_repeated_query_parameter_is_refused_and_options_needs_no_token(client, factory):
    token = api_token(client, factory.user())
    repeated = client.get("/api/v1/problems?page=1&page=2", headers=bearer(token))
    assert repeated.status_code == 422 and repeated.content_type == "application/problem+json"
    assert [e["field"] for e in repeated.json["errors"]] == ["page"]
    options = client.options("/api/v1/me")
    assert options.status_code == 200 and set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}

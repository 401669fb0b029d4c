"""The admin writes through the services and asks the policy: forms, verdicts, inlines, slugs, revert, deletion.

Each defect of the old admin has a test here that failed on it: a reporter
changing an editor's published claim or another reporter's draft, and a
revert republishing a claim an editor had taken back to review.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims import services
from claims.choices import ClaimStatus, Rating, Relation, Stance
from claims.models import Claim, ClaimRelation, Evidence, Outlet, Quote, Speaker, SpeakerAlias, Topic
from tests.claims.test_admin_permissions import change_form_values, claim_inlines, management_form
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, QuoteFactory, SourceFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def change_url(row):
    return reverse(f"admin:claims_{row._meta.model_name}_change", args=[row.pk])


def add_url(model):
    return reverse(f"admin:claims_{model._meta.model_name}_add")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def published_claim(editor):
    claim = ClaimFactory(published=True, created_by=editor, reviewer=editor)
    claim.topics.add(Topic.objects.create(name="Budget", slug="budget"))
    return claim


def claim_form(client, claim, **changes) -> dict:
    """The claim's change form as the editor's browser shows it, with `changes` typed in."""
    return {**change_form_values(client, change_url(claim)), **changes, "_save": "Save"}


# --- defects: a reporter changed what was not theirs ----------------------------------------


def test_a_reporter_cannot_change_an_editors_published_claim_in_the_admin(client, reporter, editor, published_claim):
    data = claim_form(
        signed_in(client, editor),
        published_claim,
        text="Reworded by a reporter.",
        rating=Rating.TRUE,
        rating_summary="All true.",
        reviewer=str(reporter.pk),
    )
    response = signed_in(client, reporter).post(change_url(published_claim), data)
    assert response.status_code == 403
    stored = Claim.objects.get(pk=published_claim.pk)
    assert (stored.text, stored.rating, stored.rating_summary, stored.reviewer, stored.status) == (
        published_claim.text,
        published_claim.rating,
        published_claim.rating_summary,
        editor,
        ClaimStatus.PUBLISHED,
    )


def test_a_reporter_cannot_change_another_reporters_draft_in_the_admin(client, reporter, other_reporter):
    draft = services.make_claim(text="Crime doubled.", claimant=SpeakerFactory(), acting_user=other_reporter)
    data = claim_form(signed_in(client, other_reporter), draft, text="Crime halved.")
    response = signed_in(client, reporter).post(change_url(draft), data)
    assert response.status_code == 403
    assert Claim.objects.get(pk=draft.pk).text == "Crime doubled."


def test_a_reporter_changes_their_own_draft_through_the_named_edit(client, reporter):
    draft = services.make_claim(text="Crime doubled.", claimant=SpeakerFactory(), acting_user=reporter)
    client = signed_in(client, reporter)
    response = client.post(change_url(draft), claim_form(client, draft, text="Crime doubled in a decade."))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.text == "Crime doubled in a decade."
    assert draft.history.latest().history_user == reporter


def test_a_reporter_sees_an_editors_claim_and_an_editor_may_change_it(client, reporter, editor, published_claim):
    """The sanity check: the change page as each role sees it."""
    as_reporter = signed_in(client, reporter).get(change_url(published_claim)).content.decode()
    assert "View claim" in as_reporter and 'name="_save"' not in as_reporter
    assert published_claim.text in as_reporter and published_claim.rating_summary in as_reporter
    as_editor = signed_in(client, editor).get(change_url(published_claim)).content.decode()
    assert "Change claim" in as_editor and 'name="_save"' in as_editor
    assert 'name="rating"' in as_editor and 'name="status"' not in as_editor and 'name="reviewer"' not in as_editor


# --- the verdict: rate_claim's, for editors ------------------------------------------------


def test_a_reporter_sees_the_rating_read_only_and_posting_one_changes_nothing(client, reporter):
    draft = services.make_claim(text="Crime doubled.", claimant=SpeakerFactory(), acting_user=reporter)
    client = signed_in(client, reporter)
    page = client.get(change_url(draft)).content.decode()
    assert 'name="rating"' not in page and 'name="rating_summary"' not in page
    assert "Rating" in page
    data = claim_form(client, draft, text="Crime rose.", rating=Rating.TRUE, rating_summary="Confirmed.")
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.text, draft.rating, draft.rating_summary, draft.reviewer) == ("Crime rose.", "", "", None)


def test_an_editor_rates_through_the_form_and_becomes_the_reviewer(client, reporter, editor):
    draft = services.make_claim(text="Crime doubled.", claimant=SpeakerFactory(), acting_user=reporter)
    client = signed_in(client, editor)
    data = claim_form(client, draft, rating=Rating.FALSE, rating_summary="Police figures show a fall.")
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.rating, draft.rating_summary, draft.reviewer) == (Rating.FALSE, "Police figures show a fall.", editor)
    assert draft.status == ClaimStatus.DRAFT
    assert draft.history.latest().history_user == editor


def test_a_verdict_without_a_summary_is_a_form_error_and_nothing_in_the_post_is_saved(client, editor):
    draft = ClaimFactory(created_by=editor, text="Crime doubled.")
    client = signed_in(client, editor)
    data = claim_form(client, draft, text="Crime doubled again.", rating=Rating.FALSE, rating_summary="")
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "Say in a sentence why the claim earns this rating." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.text, draft.rating) == ("Crime doubled.", "")


def test_an_editor_rates_a_new_claim_as_it_is_added(client, editor):
    speaker = SpeakerFactory()
    data = {
        "text": "Taxes rose.",
        "claimant": speaker.pk,
        "made_on": "",
        "rating": Rating.TRUE,
        "rating_summary": "The tables show it.",
        **claim_inlines(),
    }
    assert signed_in(client, editor).post(add_url(Claim), data).status_code == 302
    claim = Claim.objects.get(text="Taxes rose.")
    assert (claim.rating, claim.reviewer, claim.created_by, claim.status) == (
        Rating.TRUE,
        editor,
        editor,
        ClaimStatus.DRAFT,
    )


# --- forms: services' refusals are form errors, slugs are the services' -------------------


def test_a_quote_whose_words_are_not_in_the_article_is_a_form_error_and_nothing_is_recorded(client, editor):
    article, speaker = ArticleFactory(), SpeakerFactory()
    data = {
        "article": article.pk,
        "speaker": speaker.pk,
        "text": "words nobody printed",
        "anchored": "on",
        "kind": "direct",
        "said_on_precision": "day",
    }
    response = signed_in(client, editor).post(add_url(Quote), data)
    assert response.status_code == 200
    assert "These words are not in the article" in response.content.decode()
    assert not Quote.objects.exists()


def test_a_quote_typed_with_other_quote_marks_is_anchored_to_the_articles_own_words(client, editor):
    article = ArticleFactory(body="She said it “won’t stop” there.")
    data = {
        "article": article.pk,
        "speaker": SpeakerFactory().pk,
        "text": '"won\'t stop"',
        "anchored": "on",
        "kind": "direct",
        "said_on_precision": "day",
    }
    assert signed_in(client, editor).post(add_url(Quote), data).status_code == 302
    quote = Quote.objects.get()
    assert quote.text == "“won’t stop”" and article.body[quote.start : quote.end] == quote.text


@pytest.mark.parametrize("model", [Outlet, Speaker, Topic], ids=lambda m: m.__name__)
def test_slugs_are_not_in_admin_forms_and_the_service_makes_them(client, editor, model):
    client = signed_in(client, editor)
    assert 'name="slug"' not in client.get(add_url(model)).content.decode()
    data = {"name": "Jo Bloggs", "slug": "typed-slug", "kind": "person" if model is Speaker else "other"}
    if model is Speaker:
        data.update(management_form("aliases"))
    assert client.post(add_url(model), data).status_code == 302
    row = model.objects.get(name="Jo Bloggs")
    assert row.slug == "jo-bloggs"
    assert 'name="slug"' not in client.get(change_url(row)).content.decode()


def test_a_field_the_named_edit_does_not_take_is_shown_not_offered(client, editor):
    evidence = EvidenceFactory(created_by=editor)
    page = signed_in(client, editor).get(change_url(evidence)).content.decode()
    # A link's ends are fixed (services.EVIDENCE_FIELDS): remove it and link again.
    assert 'name="claim"' not in page and 'name="source"' not in page and 'name="stance"' in page


def test_a_symmetric_relation_added_in_the_admin_is_stored_lower_id_first(client, editor):
    first, second = ClaimFactory(), ClaimFactory()
    data = {"from_claim": second.pk, "to_claim": first.pk, "relation": Relation.CONTRADICTS, "note": ""}
    response = signed_in(client, editor).post(add_url(ClaimRelation), data)
    relation = ClaimRelation.objects.get()
    assert (relation.from_claim, relation.to_claim) == (first, second)
    assert response["Location"] == reverse("admin:claims_claimrelation_changelist")


def test_a_relation_to_the_same_claim_is_a_form_error(client, editor):
    claim = ClaimFactory()
    data = {"from_claim": claim.pk, "to_claim": claim.pk, "relation": Relation.SUPPORTS, "note": ""}
    response = signed_in(client, editor).post(add_url(ClaimRelation), data)
    assert response.status_code == 200
    assert "A claim cannot be related to itself." in response.content.decode()
    assert not ClaimRelation.objects.exists()


def test_a_new_claims_quotes_and_topics_are_set_by_make_claim(client, reporter):
    quote, topic = QuoteFactory(), Topic.objects.create(name="Budget", slug="budget")
    data = {
        "text": "The budget balances.",
        "claimant": quote.speaker.pk,
        "made_on": "",
        "quotes": [quote.pk],
        "topics": [topic.pk],
        **claim_inlines(),
    }
    assert signed_in(client, reporter).post(add_url(Claim), data).status_code == 302
    claim = Claim.objects.get(text="The budget balances.")
    assert list(claim.quotes.all()) == [quote] and list(claim.topics.all()) == [topic]
    # make_claim dates the claim by its earliest quote, and records who made it.
    assert claim.made_on == quote.said_on and claim.created_by == reporter


# --- inlines: each row through its service --------------------------------------------------


def test_aliases_are_added_and_removed_inline_through_the_services(client, editor):
    speaker = services.record_speaker(name="Sergei Ryabkov", aliases=["Ryabkov"], acting_user=editor)
    alias = speaker.aliases.get()
    client = signed_in(client, editor)
    data = change_form_values(client, change_url(speaker))
    data.update({"aliases-0-DELETE": "on", "aliases-1-name": "Deputy Minister Ryabkov", "_save": "Save"})
    assert client.post(change_url(speaker), data).status_code == 302
    assert list(speaker.aliases.values_list("name", flat=True)) == ["Deputy Minister Ryabkov"]
    assert SpeakerAlias.history.filter(id=alias.pk, history_type="-").get().history_user == editor
    assert speaker.aliases.get().history.latest().history_user == editor


def test_a_reporter_sees_an_editors_speakers_aliases_but_cannot_add_or_change_them(client, reporter, editor):
    speaker = services.record_speaker(name="Sergei Ryabkov", aliases=["Ryabkov"], acting_user=editor)
    page = signed_in(client, reporter).get(change_url(speaker)).content.decode()
    assert "Ryabkov" in page
    assert 'name="aliases-0-name"' not in page and "aliases-__prefix__-name" not in page


def test_a_reporter_adds_evidence_inline_to_their_own_draft(client, reporter):
    draft = services.make_claim(text="Crime doubled.", claimant=SpeakerFactory(), acting_user=reporter)
    source = SourceFactory()
    client = signed_in(client, reporter)
    data = claim_form(client, draft)
    row = {"source": source.pk, "stance": Stance.REFUTES, "excerpt": "", "note": ""}
    data.update(management_form("evidence", [row]))
    assert client.post(change_url(draft), data).status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.claim, evidence.source, evidence.created_by) == (draft, source, reporter)


def test_a_refused_inline_row_is_an_error_on_that_row_and_nothing_in_the_post_is_saved(client, reporter, editor):
    # An editor added evidence to the reporter's draft: it is the editor's, so the reporter cannot change it.
    draft = services.make_claim(text="Crime doubled.", claimant=SpeakerFactory(), acting_user=reporter)
    evidence = services.attach_evidence(claim=draft, source=SourceFactory(), stance=Stance.REFUTES, acting_user=editor)
    client = signed_in(client, reporter)
    data = claim_form(client, draft, text="Crime rose.")
    data["evidence-0-excerpt"] = "Changed by the reporter."
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "reporters change only their own drafts" in response.content.decode()
    draft.refresh_from_db()
    evidence.refresh_from_db()
    assert (draft.text, evidence.excerpt) == ("Crime doubled.", "")


def test_a_refused_inline_deletion_is_an_error_of_the_inline_and_the_row_stays(client, reporter, editor):
    draft = services.make_claim(text="Crime doubled.", claimant=SpeakerFactory(), acting_user=reporter)
    evidence = services.attach_evidence(claim=draft, source=SourceFactory(), stance=Stance.REFUTES, acting_user=editor)
    client = signed_in(client, reporter)
    response = client.post(change_url(draft), claim_form(client, draft, **{"evidence-0-DELETE": "on"}))
    assert response.status_code == 200
    assert f"{evidence}: You may not delete this evidence" in response.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_deleting_a_speaker_still_quoted_shows_what_protects_it_and_deletes_nothing(client, editor):
    quote = QuoteFactory()
    response = signed_in(client, editor).post(
        reverse("admin:claims_speaker_delete", args=[quote.speaker.pk]), {"post": "yes"}
    )
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Speaker.objects.filter(pk=quote.speaker.pk).exists()


def test_an_existing_evidence_rows_source_is_shown_disabled_inline(client, editor):
    evidence = EvidenceFactory(created_by=editor)
    page = signed_in(client, editor).get(change_url(evidence.claim)).content.decode()
    assert 'name="evidence-0-source"' in page
    tag = page[page.index('name="evidence-0-source"') - 200 : page.index('name="evidence-0-source"') + 200]
    assert "disabled" in tag


# --- deleting through the services -----------------------------------------------------------


def test_delete_selected_goes_through_the_services_and_is_refused_for_others_rows(client, reporter, editor):
    own = services.make_claim(text="Mine.", claimant=SpeakerFactory(), acting_user=reporter)
    others = ClaimFactory(created_by=editor)
    changelist = reverse("admin:claims_claim_changelist")
    action = {"action": "delete_selected", "_selected_action": [own.pk, others.pk], "post": "yes"}
    assert signed_in(client, reporter).post(changelist, action).status_code == 403
    assert Claim.objects.count() == 2
    assert signed_in(client, editor).post(changelist, action).status_code == 302
    assert not Claim.objects.exists()
    assert {row.history_user for row in Claim.history.filter(history_type="-")} == {editor}


def test_delete_selected_deletes_nothing_when_one_row_is_refused(client, editor, monkeypatch):
    first, second = ClaimFactory(text="First."), ClaimFactory(text="Second.")
    delete_record = services.delete_record

    def refuse_the_second(record, /, *, acting_user):
        if record.pk == second.pk:
            raise services.base.ValidationError("Kept for the archive.")
        delete_record(record, acting_user=acting_user)

    monkeypatch.setattr(services, "delete_record", refuse_the_second)
    response = signed_in(client, editor).post(
        reverse("admin:claims_claim_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Claim.objects.count() == 2
    assert messages_of(response) == ["Nothing was deleted: claim “Second.”: Kept for the archive."]


def test_a_reporter_deletes_their_own_draft(client, reporter):
    own = services.make_claim(text="Mine.", claimant=SpeakerFactory(), acting_user=reporter)
    response = signed_in(client, reporter).post(reverse("admin:claims_claim_delete", args=[own.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.exists()


# --- revert: services.revert_record, never the status or verdict ----------------------------


def revert_url(row, version):
    return reverse(f"admin:claims_{row._meta.model_name}_simple_history", args=[row.pk, version.history_id])


def test_a_reporter_cannot_revert_an_editors_published_claim(client, reporter, editor):
    claim = ClaimFactory(created_by=editor, text="First wording.")
    services.rate_claim(claim=claim, rating=Rating.FALSE, summary="No.", acting_user=editor)
    services.change_claim_status(claim=claim, status=ClaimStatus.PUBLISHED, acting_user=editor)
    services.edit_claim(claim, text="Second wording.", acting_user=editor)
    first = claim.history.earliest()
    data = {**change_form_values(signed_in(client, editor), revert_url(claim, first)), "_save": "Revert"}
    client = signed_in(client, reporter)
    response = client.post(revert_url(claim, first), data)
    claim.refresh_from_db()
    assert (claim.text, claim.status) == ("Second wording.", ClaimStatus.PUBLISHED)
    assert response.status_code == 403
    # The version can be read; it offers no Revert button.
    page = client.get(revert_url(claim, first))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_an_editors_revert_of_a_claim_taken_back_to_review_leaves_it_in_review(client, editor):
    claim = ClaimFactory(created_by=editor, text="Published wording.")
    services.rate_claim(claim=claim, rating=Rating.FALSE, summary="No.", acting_user=editor)
    services.change_claim_status(claim=claim, status=ClaimStatus.PUBLISHED, acting_user=editor)
    published = claim.history.latest()
    services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=editor)
    services.edit_claim(claim, text="Wording under review.", acting_user=editor)

    client = signed_in(client, editor)
    data = {**change_form_values(client, revert_url(claim, published)), "_save": "Revert"}
    response = client.post(revert_url(claim, published), data)

    claim.refresh_from_db()
    assert (claim.text, claim.status) == ("Published wording.", ClaimStatus.IN_REVIEW)
    assert response.status_code == 302 and response["Location"] == change_url(claim)
    assert claim.history.latest().history_user == editor
    (message,) = messages_of(response)
    assert "nothing else about it was changed" in message


def test_the_history_page_offers_revert_to_whoever_the_policy_lets_revert(client, reporter, editor):
    own = services.make_claim(text="Mine.", claimant=SpeakerFactory(), acting_user=reporter)
    services.edit_claim(own, text="Mine, reworded.", acting_user=reporter)
    theirs = ClaimFactory(created_by=editor)
    client = signed_in(client, reporter)
    assert "Revert" in client.get(revert_url(own, own.history.earliest())).content.decode()
    theirs_version = client.get(revert_url(theirs, theirs.history.earliest())).content.decode()
    assert 'name="_save"' not in theirs_version


@pytest.mark.parametrize("path", ["{pk}/history/abc/", "abc/history/1/", "abc/history/"])
def test_a_mangled_history_link_is_not_found(client, editor, path):
    claim = ClaimFactory()
    response = signed_in(client, editor).get("/admin/claims/claim/" + path.format(pk=claim.pk))
    assert response.status_code == 404


# --- the site: newsroom members only ----------------------------------------------------------


def test_a_reporter_without_the_staff_flag_signs_in_and_an_outsider_with_it_does_not(client, reporter, outsider):
    outsider.is_staff = True
    outsider.save()
    password = "correct horse battery staple"
    login = reverse("admin:login")
    refused = client.post(login, {"username": outsider.username, "password": password})
    assert refused.status_code == 200 and "newsroom account" in refused.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    assert not reporter.is_staff
    assert client.post(login, {"username": reporter.username, "password": password}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_accounts_are_the_admins_section_alone(client, editor, db):
    from claims.choices import Role
    from tests.factories import UserFactory

    assert signed_in(client, editor).get(reverse("admin:auth_user_changelist")).status_code == 403
    assert "auth/user" not in client.get(reverse("admin:index")).content.decode()
    admin_role = UserFactory(username="ada_admin", role=Role.ADMIN)
    assert signed_in(client, admin_role).get(reverse("admin:auth_user_changelist")).status_code == 200


# --- every field a form offers reaches a service -------------------------------------------


@pytest.mark.parametrize("change", [False, True], ids=["add", "change"])
def test_every_field_an_admin_form_offers_is_taken_by_its_service(rf, editor, change):
    """Nothing typed into the admin is silently dropped: each field is the record service's or the named edit's."""
    import inspect

    from django.contrib import admin
    from django.contrib.admin.utils import flatten_fieldsets

    from claims.admin.base import RECORDS, PolicyAdmin
    from claims.admin.claims import ASSIGNMENT_FIELDS, VERDICT_FIELDS

    request = rf.get("/admin/")
    request.user = editor
    for model, model_admin in admin.site._registry.items():
        # The record of imports offers no form.
        if model._meta.app_label != "claims" or not isinstance(model_admin, PolicyAdmin):
            continue
        row = model() if change else None
        fields = flatten_fieldsets(model_admin.get_fieldsets(request, row))
        offered = set(model_admin.get_form(request, row, change=change, fields=fields).base_fields)
        if change:
            taken = set(services.EDITS[model][1])
        else:
            parameters = inspect.signature(RECORDS[model]).parameters
            taken = {name for name in offered if model_admin.service_names.get(name, name) in parameters}
        # The verdict goes to rate_claim, the assignee to assign_claim (for those the policy lets).
        extra = {*VERDICT_FIELDS, *ASSIGNMENT_FIELDS} if model is Claim else set()
        assert offered - taken - extra == set(), model.__name__


def test_every_field_an_inline_row_offers_is_taken_by_its_service():
    """A new inline row goes to its model's record service, with the parent as the foreign key it names."""
    import inspect

    from django.contrib import admin

    from claims.admin.base import RECORDS, PolicyInline

    # A read-only inline (a claim's internal comments) takes no rows.
    inlines = [
        inline
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
        if issubclass(inline, PolicyInline)
    ]
    assert len(inlines) >= 5
    for inline in inlines:
        parameters = inspect.signature(RECORDS[inline.model]).parameters
        offered = {*inline.fields, inline.fk_name}
        taken = {name for name in offered if inline.service_names.get(name, name) in parameters}
        assert offered - taken == set(), inline.__name__


def test_autocomplete_lists_quotes_by_their_speakers_in_a_fixed_number_of_queries(
    client, editor, django_assert_max_num_queries
):
    QuoteFactory.create_batch(5)
    client.force_login(editor)
    params = {"app_label": "claims", "model_name": "claim", "field_name": "quotes", "term": "budget"}
    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5


# --- the desk's inlines: relations from either side, an article's quotes ----------------------


def test_a_relation_added_on_the_later_claim_is_stored_lower_id_first_and_shows_on_both(client, editor):
    earlier, later = ClaimFactory(text="Crime fell."), ClaimFactory(text="Crime rose.")
    client = signed_in(client, editor)
    data = claim_form(client, later)
    row = {"relation": Relation.CONTRADICTS, "to_claim": earlier.pk, "note": "Same year, same city."}
    data.update(management_form("relations_from", [row]))
    assert client.post(change_url(later), data).status_code == 302
    relation = ClaimRelation.objects.get()
    assert (relation.from_claim, relation.to_claim, relation.created_by) == (earlier, later, editor)
    assert "Same year, same city." in client.get(change_url(earlier)).content.decode()
    assert "Same year, same city." in client.get(change_url(later)).content.decode()


def test_a_claim_related_to_itself_inline_is_refused_on_the_row(client, editor):
    claim = ClaimFactory(text="Crime fell.")
    client = signed_in(client, editor)
    data = claim_form(client, claim)
    data.update(management_form("relations_from", [{"relation": Relation.SUPPORTS, "to_claim": claim.pk, "note": ""}]))
    response = client.post(change_url(claim), data)
    assert response.status_code == 200
    assert "A claim cannot be related to itself." in response.content.decode()
    assert not ClaimRelation.objects.exists()


def article_form(client, article, rows) -> dict:
    data = change_form_values(client, change_url(article))
    return {**data, **management_form("quotes", rows, initial=article.quotes.count()), "_save": "Save"}


def test_an_article_takes_a_quote_inline_found_in_its_body(client, editor):
    article, speaker = ArticleFactory(created_by=editor), SpeakerFactory()
    client = signed_in(client, editor)
    row = {"speaker": speaker.pk, "text": "the figures left out pension costs", "kind": "indirect", "said_on": ""}
    assert client.post(change_url(article), article_form(client, article, [row])).status_code == 302
    quote = Quote.objects.get()
    assert (quote.article, quote.speaker, quote.created_by) == (article, speaker, editor)
    assert article.body[quote.start : quote.end] == "the figures left out pension costs"


def test_a_quote_not_in_the_articles_body_is_refused_on_its_row_and_nothing_is_saved(client, editor):
    article = ArticleFactory(created_by=editor)
    client = signed_in(client, editor)
    rows = [
        {"speaker": SpeakerFactory().pk, "text": "the figures left out pension costs", "kind": "indirect"},
        {"speaker": SpeakerFactory().pk, "text": "taxes doubled overnight", "kind": "direct"},
    ]
    response = client.post(change_url(article), article_form(client, article, rows))
    assert response.status_code == 200
    refused = response.context["inline_admin_formsets"][0].formset.forms[1]
    assert refused.errors["text"][0].startswith("These words are not in the article")
    assert not Quote.objects.exists()


def test_every_foreign_key_a_form_offers_is_picked_by_autocomplete(rf, editor):
    """A desk with thousands of speakers and claims never renders them all into a select box."""
    from django.contrib import admin
    from django.contrib.admin.utils import flatten_fieldsets

    from claims.admin.base import PolicyAdmin

    request = rf.get("/admin/")
    request.user = editor
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, PolicyAdmin):
            continue
        admins = [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]
        for each in admins:
            fields = each.fields or flatten_fieldsets(model_admin.get_fieldsets(request))
            readonly = set(each.get_readonly_fields(request))
            for name in set(fields) - readonly:
                field = next((f for f in each.model._meta.get_fields() if f.name == name), None)
                # The newsroom's people are a few dozen: a claim's assignee is picked from a select of them.
                if (each.model, name) == (Claim, "assignee"):
                    continue
                if field is not None and field.is_relation and name != getattr(each, "fk_name", None):
                    assert name in each.autocomplete_fields, f"{type(each).__name__}.{name}"
                    checked += 1
    assert checked >= 18

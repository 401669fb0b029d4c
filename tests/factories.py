"""Test data, one factory per model. Rows are valid by default; pass what a test is about."""

import datetime

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from claims.choices import ClaimStatus, QuoteKind, Rating, Relation, SpeakerKind, Stance
from claims.models import Article, Claim, ClaimRelation, Evidence, Outlet, Quote, Source, Speaker


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Daily Record {n}")
    slug = factory.Sequence(lambda n: f"daily-record-{n}")
    kind = "newspaper"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    url = factory.Sequence(lambda n: f"https://news.example.org/2023/08/story-{n}")
    outlet = factory.SubFactory(OutletFactory)
    headline = factory.Sequence(lambda n: f"Minister defends budget, part {n}")
    body = (
        'The finance minister said on Monday that "the budget is balanced for the first time in a decade." '
        "Critics said the figures left out pension costs."
    )
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Alex Speaker {n}")
    slug = factory.Sequence(lambda n: f"alex-speaker-{n}")
    kind = SpeakerKind.PERSON


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    article = factory.SubFactory(ArticleFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    text = "the budget is balanced for the first time in a decade."
    kind = QuoteKind.DIRECT
    start = factory.LazyAttribute(lambda q: q.article.body.find(q.text))
    end = factory.LazyAttribute(lambda q: q.start + len(q.text))
    said_on = datetime.date(2023, 8, 21)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"The budget is balanced for the first time in {n} years.")
    claimant = factory.SubFactory(SpeakerFactory)
    made_on = datetime.date(2023, 8, 21)
    status = ClaimStatus.DRAFT

    class Params:
        published = factory.Trait(
            status=ClaimStatus.PUBLISHED,
            rating=Rating.MOSTLY_FALSE,
            rating_summary="The budget balances only if pension costs are left out.",
            published_at=factory.LazyFunction(timezone.now),
        )


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://stats.example.gov/reports/{n}")
    title = factory.Sequence(lambda n: f"Public finances bulletin {n}")
    kind = "dataset"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    stance = Stance.REFUTES


class ClaimRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimRelation

    from_claim = factory.SubFactory(ClaimFactory)
    to_claim = factory.SubFactory(ClaimFactory)
    relation = Relation.SUPPORTS

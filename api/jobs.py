"""GET /api/v1/jobs/<id>/: a background job's state, progress, message and result, for its starter and editors.

Who sees which job is JobQuerySet.visible_to (claims.policy): anyone else's
job is a 404, as if it were not there. Jobs are started by the doors that
queue them (the admin's import, the desk's fetch) and change only through
their worker, so this endpoint only reads.
"""

from django.urls import reverse
from rest_framework import generics, permissions, serializers

from claims.models import Job


class JobSerializer(serializers.ModelSerializer):
    page = serializers.SerializerMethodField(help_text="The job's page at the desk, which follows it as it runs.")
    file = serializers.SerializerMethodField(help_text="Where to download the file the job gave, if it gave one.")

    class Meta:
        model = Job
        fields = (
            "id", "kind", "state", "attempts", "max_attempts", "done", "total", "message", "result", "created_at",
            "started_at", "finished_at", "next_attempt_at", "page", "file",
        )  # fmt: skip

    def get_page(self, job) -> str:
        return self.context["request"].build_absolute_uri(reverse("desk:job", args=[job.pk]))

    def get_file(self, job) -> str | None:
        if not job.result.get("file"):
            return None
        return self.context["request"].build_absolute_uri(reverse("desk:job_file", args=[job.pk]))


class JobView(generics.RetrieveAPIView):
    serializer_class = JobSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user)

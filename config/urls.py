"""URL configuration: the admin (editors' workspace) and the health check."""

from django.contrib import admin
from django.urls import path

from claims import alerts_views, workspace
from claims.feeds import StatusChangeFeed, deadlines_ics
from config import views

admin.site.site_header = "Claimwatch"
admin.site.site_title = "Claimwatch"
admin.site.index_title = "Dated claims in the news"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # The editors' workspace pages live under /admin/ (before admin.site.urls, which would
    # answer 404 for them); admin_view sends anyone who is not active staff to the login page.
    path(
        "admin/claims/review/",
        admin.site.admin_view(workspace.review_queue),
        name="admin-review-queue",
    ),
    path(
        "admin/claims/review/<str:kind>/<int:pk>/<str:decision>/",
        admin.site.admin_view(workspace.review_decide),
        name="admin-review-decide",
    ),
    path(
        "admin/claims/dashboard/",
        admin.site.admin_view(workspace.dashboard),
        name="admin-dashboard",
    ),
    path("admin/", admin.site.urls),
    path("feeds/changes.atom", StatusChangeFeed(), name="feeds-changes"),
    path("feeds/deadlines.ics", deadlines_ics, name="feeds-deadlines"),
    path("claims/<int:claim_id>/", alerts_views.claim_review_page, name="claim-review"),
    path("alerts/unsubscribe/<str:token>/", alerts_views.unsubscribe, name="alerts-unsubscribe"),
    path("", views.home, name="home"),
]

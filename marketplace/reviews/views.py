"""Review pages: write a review, the household's answers, moderation; template helpers for ratings."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.accounts.access import Role, role_required
from marketplace.extensions import db
from marketplace.media import PhotoRejected, read_uploads
from marketplace.reviews import bp, services
from marketplace.reviews.errors import NotReviewable, NotYourReview, ReviewError
from marketplace.reviews.forms import AnswerForm, HideForm, ReviewForm


@bp.app_template_global()
def listing_reviews(listing_id: int):
    return services.listing_reviews(listing_id)


@bp.app_template_global()
def household_rating(household_id: int):
    return services.household_rating(household_id)


@bp.app_template_global()
def delivery_days(household_id: int):
    return services.delivery_days(household_id)


@bp.app_template_global()
def order_reviews(order):
    return services.reviews_by_line(order)


@bp.route("/orders/<int:order_id>/lines/<int:line_id>/review", methods=["GET", "POST"])
@login_required
def write(order_id: int, line_id: int):
    try:
        line = services.reviewable_line(current_user, line_id)
    except NotReviewable:
        abort(404)
    if line.order_id != order_id:
        abort(404)
    existing = services.review_of_line(line.id)
    form = ReviewForm(obj=existing)
    if form.validate_on_submit():
        try:
            photos = read_uploads(request.files.getlist(form.photos.name)) or None
            services.write_review(current_user, line.id, form.stars.data, form.body.data or "", photos)
        except PhotoRejected as exc:
            form.photos.errors = [*form.photos.errors, str(exc)]
        except ReviewError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Thank you: your review is published."), "success")
            return redirect(url_for("orders.detail", order_id=order_id))
    return render_template("reviews/write.html", form=form, line=line, existing=existing), (
        400 if form.errors or form.form_errors else 200
    )


@bp.get("/my/reviews")
@role_required(Role.HOUSEHOLD)
def household_page():
    household = current_user.household
    if household is None:
        abort(404)
    return render_template(
        "reviews/household.html", reviews=services.household_reviews(household.id), form=AnswerForm()
    )


@bp.post("/reviews/<int:review_id>/answer")
@role_required(Role.HOUSEHOLD)
def answer(review_id: int):
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Write an answer of at most 2000 characters."), "error")
        return redirect(url_for("reviews.household_page"))
    try:
        services.answer_review(current_user, review_id, form.body.data)
    except NotYourReview:
        db.session.rollback()
        abort(404)
    except ReviewError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Your answer is published."), "success")
    return redirect(url_for("reviews.household_page"))


@bp.get("/admin/reviews")
@role_required(Role.ADMIN)
def moderation():
    return render_template("reviews/moderation.html", reviews=services.all_reviews(), form=HideForm())


@bp.post("/admin/reviews/<int:review_id>/<action>")
@role_required(Role.ADMIN)
def moderate(review_id: int, action: str):
    if action not in ("hide", "show"):
        abort(404)
    form = HideForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_hidden(current_user, review_id, action == "hide", form.reason.data or "")
    except NotYourReview:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("The review is hidden.") if action == "hide" else _("The review is shown again."), "success")
    return redirect(url_for("reviews.moderation"))

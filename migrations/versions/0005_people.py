"""people: reviews and answers, listing ratings, province targets

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 04:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_line_id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('listing_id', sa.Integer(), nullable=False),
        sa.Column('household_id', sa.Integer(), nullable=False),
        sa.Column('buyer_id', sa.Integer(), nullable=False),
        sa.Column('stars', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('hidden', sa.Boolean(), nullable=False),
        sa.Column('hidden_by_id', sa.Integer(), nullable=True),
        sa.Column('hidden_reason', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_reviews_stars_range')),
        sa.ForeignKeyConstraint(['buyer_id'], ['users.id'], name=op.f('fk_reviews_buyer_id_users')),
        sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_reviews_hidden_by_id_users')),
        sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_reviews_household_id_households')),
        sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_reviews_listing_id_listings')),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_reviews_order_id_orders'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_reviews_order_line_id_order_lines'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
        sa.UniqueConstraint('order_line_id', name=op.f('uq_reviews_order_line_id')),
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index('ix_reviews_listing_hidden', ['listing_id', 'hidden'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_hidden_by_id'), ['hidden_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_order_id'), ['order_id'], unique=False)

    op.create_table(
        'review_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_answers_author_id_users')),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_answers_review_id_reviews'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_answers')),
        sa.UniqueConstraint('review_id', name=op.f('uq_review_answers_review_id')),
    )
    with op.batch_alter_table('review_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_answers_author_id'), ['author_id'], unique=False)

    op.create_table(
        'province_targets',
        sa.Column('province_code', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('selling_households', sa.Integer(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('selling_households >= 0', name=op.f('ck_province_targets_target_not_negative')),
        sa.ForeignKeyConstraint(['province_code'], ['provinces.code'],
                                name=op.f('fk_province_targets_province_code_provinces')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_province_targets_updated_by_id_users')),
        sa.PrimaryKeyConstraint('province_code', name=op.f('pk_province_targets')),
    )
    with op.batch_alter_table('province_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_province_targets_updated_by_id'), ['updated_by_id'], unique=False)

    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rating_avg', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('rating_count', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_column('rating_count')
        batch_op.drop_column('rating_avg')
    with op.batch_alter_table('province_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_province_targets_updated_by_id'))
    op.drop_table('province_targets')
    with op.batch_alter_table('review_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_answers_author_id'))
    op.drop_table('review_answers')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        for name in ('ix_reviews_order_id', 'ix_reviews_listing_id', 'ix_reviews_household_id', 'ix_reviews_hidden_by_id',
                     'ix_reviews_created_at', 'ix_reviews_buyer_id', 'ix_reviews_listing_hidden'):
            batch_op.drop_index(name)
    op.drop_table('reviews')

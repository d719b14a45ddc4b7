-- Movies going viral: vote acceleration rising over the last 7 days, on the latest ingestion day.
select
    rank,
    title,
    vote_count,
    vote_velocity as votes_today,
    vote_acceleration,
    acceleration_trend_7d,
    viral_score,
    viral_category,
from {{ ref('viral_emerging_trends') }}
order by rank
limit 10

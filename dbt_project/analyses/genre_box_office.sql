-- Which genres pay? Box office and median ROI by genre.
select
    genre_name,
    movie_count,
    round(total_revenue_usd / 1e9, 2) as revenue_usd_bn,
    round(median_roi, 2) as median_roi,
    round(avg_vote_average, 2) as avg_rating,
from {{ ref('genre_performance') }}
order by total_revenue_usd desc nulls last

-- The catalogue by original language.
with

movies as (

    select * from {{ ref('movie_performance') }}

),

final as (

    select
        coalesce(original_language_code, 'unknown') as language_code,
        coalesce(max(original_language_name), 'Unknown') as language_name,
        count(*) as movie_count,
        round(100 * count(*) / sum(count(*)) over (), 4) as movie_share_pct,
        sum(revenue_usd) as total_revenue_usd,
        round(100 * sum(revenue_usd) / sum(sum(revenue_usd)) over (), 4) as revenue_share_pct,
        round(avg(vote_average), 4) as avg_vote_average,

    from movies
    group by coalesce(original_language_code, 'unknown')

)

select * from final

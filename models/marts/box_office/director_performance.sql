-- Box office and audience by director (a co-directed movie counts fully for each of its directors).
with

movies as (

    select * from {{ ref('movie_performance') }}

),

directors as (

    select * from {{ ref('bridge_movie_director') }}

),

people as (

    select * from {{ ref('dim_person') }}

),

final as (

    select
        people.person_id,
        people.person_name as director_name,
        count(*) as movies_directed,
        count(movies.profit_usd) as movies_with_financials,
        sum(movies.revenue_usd) as total_revenue_usd,
        sum(movies.profit_usd) as total_profit_usd,
        round(avg(movies.roi), 6) as avg_roi,
        round(median(movies.roi), 6) as median_roi,
        round(avg(movies.vote_average), 4) as avg_vote_average,
        sum(movies.vote_count) as total_vote_count,
        arg_max(movies.title, coalesce(movies.revenue_usd, -1)) as top_grossing_title,
        min(movies.release_year) as first_release_year,
        max(movies.release_year) as last_release_year,

    from directors
    inner join movies on directors.movie_id = movies.movie_id
    inner join people on directors.person_id = people.person_id
    group by people.person_id, people.person_name

)

select * from final

-- The catalogue by production country (a co-production counts in each of its countries).
with

movies as (

    select * from {{ ref('movie_performance') }}

),

bridge as (

    select * from {{ ref('bridge_movie_country') }}

),

countries as (

    select * from {{ ref('dim_country') }}

),

catalogue as (

    select count(*) as catalogue_movies from movies

),

final as (

    select
        countries.country_code,
        countries.country_name,
        count(*) as movie_count,
        round(100 * count(*) / max(catalogue.catalogue_movies), 4) as movie_share_pct,
        count(*) filter (where bridge.country_position = 1) as lead_country_movie_count,
        sum(movies.revenue_usd) as total_revenue_usd,
        round(avg(movies.vote_average), 4) as avg_vote_average,

    from bridge
    inner join movies on bridge.movie_id = movies.movie_id
    inner join countries on bridge.country_code = countries.country_code
    cross join catalogue
    group by countries.country_code, countries.country_name

)

select * from final

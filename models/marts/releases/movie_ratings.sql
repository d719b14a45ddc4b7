-- One row per movie with releases: its US rating, its local rating (the country it was produced in first, as
-- TMDB lists production countries) and where and when it was first released.
with

movies as (

    select * from {{ ref('dim_movie') }}

),

countries as (

    select * from {{ ref('movie_release_countries') }}

),

production_countries as (

    select * from {{ ref('bridge_movie_country') }}

),

local_country as (

    select movie_id, country_code
    from production_countries
    where country_code != {{ unknown_member_code() }}
    qualify row_number() over (partition by movie_id order by country_position) = 1

),

first_release as (

    select movie_id, country_code, first_release_date
    from countries
    where first_release_date is not null
    qualify row_number() over (partition by movie_id order by first_release_date, country_code) = 1

),

summary as (

    select
        movie_id,
        count(*) as release_country_count,
        count(certification) as rated_country_count,
    from countries
    group by movie_id

),

final as (

    select
        movies.movie_id,
        movies.title,
        us.certification as us_certification,
        us.first_release_date as us_first_release_date,
        local_country.country_code as local_country_code,
        local_releases.certification as local_certification,
        local_releases.first_release_date as local_first_release_date,
        first_release.country_code as first_release_country_code,
        first_release.first_release_date,
        summary.release_country_count,
        summary.rated_country_count,

    from summary
    inner join movies on summary.movie_id = movies.movie_id
    left join countries as us on summary.movie_id = us.movie_id and us.country_code = 'US'
    left join local_country on summary.movie_id = local_country.movie_id
    left join countries as local_releases
        on local_country.movie_id = local_releases.movie_id and local_country.country_code = local_releases.country_code
    left join first_release on summary.movie_id = first_release.movie_id

)

select * from final

-- One row per movie and country it was released in: the first release day (any type, theatrical, digital) and
-- the country's age rating of the movie: the rating of its earliest theatrical release that has one, else of its
-- earliest release of any type that has one.
with

releases as (

    select * from {{ ref('fct_movie_release') }}

),

certifications as (

    select * from {{ ref('dim_certification') }}

),

rated as (

    select
        movie_id,
        country_code,
        certification_key,
        certification,
    from releases
    where certification is not null
    qualify row_number() over (
        partition by movie_id, country_code
        order by release_type in (2, 3) desc, release_date nulls last, release_type, release_position
    ) = 1

),

by_country as (

    select
        movie_id,
        country_code,
        min(release_date) as first_release_date,
        min(case when release_type in (2, 3) then release_date end) as first_theatrical_date,
        min(case when release_type = 4 then release_date end) as first_digital_date,
        count(*) as release_count,
    from releases
    group by movie_id, country_code

),

final as (

    select
        by_country.movie_id,
        by_country.country_code,
        by_country.first_release_date,
        by_country.first_theatrical_date,
        by_country.first_digital_date,
        by_country.release_count,
        rated.certification,
        rated.certification_key,
        certifications.certification_order,
        certifications.certification_meaning,

    from by_country
    left join rated on by_country.movie_id = rated.movie_id and by_country.country_code = rated.country_code
    left join certifications on rated.certification_key = certifications.certification_key

)

select * from final

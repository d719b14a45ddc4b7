with

companies as (

    select
        movies.movie_id,
        movies.details_fetched_on,
        production_companies.*
    from {{ ref('stg_tmdb__production_companies') }} as production_companies
    inner join {{ ref('int_movies') }} as movies on production_companies.details_row_id = movies.details_row_id

),

latest as (

    select
        company_id,
        company_name,
        company_country_code,
        logo_path
    from companies
    qualify row_number() over (partition by company_id order by details_fetched_on desc, movie_id) = 1

),

counts as (

    select company_id, count(distinct movie_id) as movie_count from companies group by company_id

),

final as (

    select
        latest.company_id,
        latest.company_name,
        {{ listed_code_or_unknown('latest.company_country_code', ref('stg_tmdb__countries'), 'country_code') }}
            as company_country_code,
        latest.company_country_code as tmdb_company_country_code,
        latest.logo_path,
        counts.movie_count

    from latest
    inner join counts on latest.company_id = counts.company_id

)

select * from final

-- Countries named anywhere in the details: production countries, and companies' countries of origin.
with

production_countries as (

    select * from {{ ref('stg_tmdb__production_countries') }}

),

companies as (

    select * from {{ ref('stg_tmdb__production_companies') }}

),

named as (

    select
        country_code,
        -- the most common spelling of the name
        mode(country_name) as country_name,
        count(distinct movie_id) as movie_count,

    from production_countries
    group by country_code

),

company_only as (

    select distinct company_country_code as country_code
    from companies
    where company_country_code is not null
      and company_country_code not in (select country_code from named)

),

final as (

    select country_code, country_name, movie_count from named
    union all
    select country_code, cast(null as varchar) as country_name, 0 as movie_count from company_only

)

select * from final

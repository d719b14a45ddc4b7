-- TMDB's certification list: one row per country and rating, with its meaning and its rank in the country
-- (0 the mildest). Codes are kept as TMDB writes them ('12A', 'R15+').
with

source as (

    {{ source_or_empty('tmdb', 'certifications', {
        'iso_3166_1': 'varchar', 'certification': 'varchar', 'meaning': 'varchar', 'order': 'bigint',
    }) }}

),

renamed as (

    select
        upper({{ empty_to_null('iso_3166_1') }}) as country_code,
        {{ empty_to_null('certification') }} as certification,
        {{ empty_to_null('meaning') }} as certification_meaning,
        cast({{ adapter.quote('order') }} as integer) as certification_order

    from source
    where {{ empty_to_null('iso_3166_1') }} is not null and {{ empty_to_null('certification') }} is not null
    qualify row_number() over (
        partition by upper(trim(iso_3166_1)), trim(certification) order by {{ adapter.quote('order') }}
    ) = 1

)

select * from renamed

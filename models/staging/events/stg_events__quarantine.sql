-- The lines the loader could not use: where and why (the line itself stays in raw: it may hold free text).
with

source as (

    {{ source_or_empty('events', 'events_quarantine', {
        'file_name': 'varchar', 'line_number': 'bigint', 'reason': 'varchar', 'line': 'varchar',
        'file_modified_at': 'timestamptz'
    }) }}

)

select
    file_name,
    line_number,
    reason,
    -- the kind of problem without its details (positions, values): what reports group by
    case
        when reason like 'not valid JSON%' then 'not JSON'
        when reason like 'not a JSON object%' then 'not an object'
        when reason like 'required field%' then 'missing field'
        when reason like 'the file cannot be decompressed%' then 'unreadable file'
        when reason like 'not UTF-8%' then 'not UTF-8'
        when reason like 'a blank line%' then 'blank line'
        else 'invalid value'
    end as reason_kind,
    {{ utc_timestamp('file_modified_at') }} as file_modified_at

from source
qualify row_number() over (partition by file_name, line_number order by file_modified_at desc) = 1

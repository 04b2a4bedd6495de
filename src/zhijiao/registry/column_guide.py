"""What each column of each registry table means, for the templates' guide sheet and the edit forms' hints."""

from __future__ import annotations

# The format of each kind (yuan, rate, date, …), whether a column is required and its choices are written beside
# these meanings by the template; a meaning says what the figure is, its unit, its year and which article reads it.
_SCHOOL = (
    "学校编号，须为学校表中已有的学校编号。",
    "The school's code: must be the code of a school already in the schools table.",
)
_YEAR = (
    "数据所属的年度，即公历年（一月一日至十二月三十一日），填四位年份，如2024。测算某一年度时使用该年度的数据，每校每年度一行。",
    (
        "The calendar year (January to December) the figures belong to, as four digits, e.g. 2024. A calculation for a "
        "year uses that year's row; one row per school and year."
    ),
)
_REVOKED = (
    "认定被撤销的日期，未撤销的不填，不得早于认定日期。在测算日（年度测算为该年年末）当天或之前撤销的认定，不再计算奖补。",
    (
        "The date the certification was revoked; leave it blank if it was not, and it may not be before the "
        "certification date. A certification revoked on or before the calculation date (a year's end) earns no award."
    ),
)
_REASON = (
    "认定被撤销的原因，如复核不合格；未撤销的不填。",
    "Why the certification was revoked, e.g. it failed a review; leave it blank if it was not.",
)
_CERTIFICATION_CODE = (
    "本条认定记录在本系统中的编号，在本表中唯一，录入后不可修改；只用字母和数字等，不能直接填写含汉字的文件文号。",
    (
        "This certification record's code in this system, unique in this table and unchangeable once entered; letters "
        "and digits only, so a document number with Chinese characters cannot be used as it is."
    ),
)

MEANINGS: dict[str, dict[str, tuple[str, str]]] = {
    "schools": {
        "code": (
            "学校在本系统中的编号，在本表中唯一，录入后不可修改。其他各表用此编号指明学校，再次导入相同编号即更新该校记录。",
            (
                "The school's code in this system, unique in this table and unchangeable once entered. The other "
                "tables name the school by it; importing the same code again updates the school's record."
            ),
        ),
        "name": ("学校的正式全称，用于显示和查找。", "The school's full official name, for display and search."),
        "county": (
            "学校所在的县（市、区），填名称，如“瑞安市”；市教育局直属学校填“市直属”。测算的财政支出按此汇总到各县（市、区）。",
            (
                "The county the school is in, by name, e.g. Rui'an City; schools run by the city bureau are City-run. "
                "The calculated public cost is totalled by this county."
            ),
        ),
        "school_type": (
            "高职院校、中职学校或技工院校。第二十条：生均公用经费上浮只适用于公办中职学校（是否含技工院校按测算口径）。",
            (
                "Higher vocational college, secondary vocational school or technical school. Art. 20: the "
                "public-expenditure uplift is for public secondary schools (technical schools only under that option)."
            ),
        ),
        "ownership": (
            "公办、民办或混合所有制。第二十条：生均财政拨款和生均公用经费上浮只适用于公办学校；混合所有制学校的股东另表登记（第八条）。",
            (
                "Public, private or mixed ownership. Art. 20: the per-student uplifts are for public schools only; the "
                "shareholders of a mixed-ownership school are entered in their own table (Art. 8)."
            ),
        ),
        "sponsor": (
            "学校举办者的层级：市属或县属。第十三条、第二十条：新增经费由举办者同级财政承担。",
            (
                "Whether the city or a county runs the school. Arts. 13 and 20: the added funding is paid by the "
                "finance of the sponsor's level (same-level finance)."
            ),
        ),
    },
    "school_shareholders": {
        "school_code": (
            "该股东所投资学校的编号，须为学校表中已有、办学性质为混合所有制的学校编号。",
            (
                "The code of the school the shareholder invests in: a school already in the schools table, of mixed "
                "ownership."
            ),
        ),
        "shareholder": (
            "股东（举办方）的全称，如企业或院校名称；同一学校的股东不能重复。第八条：混合所有制办学。",
            (
                "The shareholder's full name, e.g. of an enterprise or a college; a school lists each shareholder "
                "once. Art. 8: mixed-ownership schools."
            ),
        ),
        "share": (
            "该股东占学校股份的比例，填小数（如0.25）或百分数（如25%）；同一学校各股东合计不得超过全部股份。",
            (
                "The shareholder's share of the school, as a fraction (e.g. 0.25) or a percentage (e.g. 25%); a "
                "school's shares may not add up to more than the whole."
            ),
        ),
    },
    "school_years": {
        "school_code": _SCHOOL,
        "year": _YEAR,
        "double_high": (
            "该年度学校是否为“双高计划”建设单位：无、省级或国家级。第二十条：公办学校按此级别上浮生均财政拨款。",
            (
                "Whether the school is a double-high plan school in that year: none, provincial or national. Art. 20: "
                "a public school's per-student appropriation is uplifted by this level."
            ),
        ),
        "double_high_group_students": (
            "该年度入选“双高计划”专业群的在校生人数（人）。第二十条：仅当测算口径为“仅入选专业群学生”时，按此人数计算拨款上浮。",
            (
                "Students of the selected double-high professional group in that year (persons). Art. 20: used for the "
                "uplift only when the scope option is 'only the students of the selected group'."
            ),
        ),
        "base_appropriation_per_student": (
            "该年度每名学生每年的生均财政拨款（元），填上浮前的标准。第二十条：生均财政拨款上浮的基数。",
            (
                "The per-student appropriation per year in that year (yuan), before any uplift. Art. 20: the base of "
                "the per-student funding uplift."
            ),
        ),
        "market_service_income": (
            "该年度学校以市场委托方式取得的社会培训和企业服务收入（元）。第十一条：社会服务性激励绩效总额按此收入的核定比例封顶。",
            (
                "The school's income in that year from social training and enterprise services commissioned on the "
                "market (yuan). Art. 11: the social-service incentive pool is capped at a set share of it."
            ),
        ),
        "social_training_person_times": (
            "该年度学校开展社会培训的人次（人次）。第十一条：用于监测方案目标“社会培训人次”，自方案实施起累计。",
            (
                "Social training given by the school in that year (person-times). Art. 11: counts toward the plan's "
                "target for social training, summed from the plan's start."
            ),
        ),
        "meets_national_standard": (
            "该年度学校是否达到国家职业学校办学条件标准，填“是”或“否”。用于监测方案目标“达到国家办学条件标准的学校比例”。",
            (
                "Whether the school meets the national standard of school conditions in that year (yes or no). Counts "
                "toward the plan's target for the share of schools meeting it."
            ),
        ),
    },
    "salary_standards": {
        "county": (
            "发布该标准的县（市、区），填名称，如“瑞安市”；市直属学校的标准填“市直属”。该县（市、区）的同类学校按此标准测算。",
            (
                "The county the standard is for, by name, e.g. Rui'an City; the standard of the schools the city runs "
                "is City-run. The county's schools of that type are funded at it."
            ),
        ),
        "year": (
            "标准适用的年度，填四位年份，如2024。测算某一年度时使用该年度的标准，每县（市、区）每年度每类学校一行。",
            (
                "The year the standard applies to, as four digits, e.g. 2024. A calculation for a year uses that "
                "year's standard; one row per county, year and school type."
            ),
        ),
        "school_type": (
            "标准所指的同类学校：高职院校、中职学校或技工院校。学校按其所在县（市、区）和学校类型对应标准。",
            (
                "The similar schools the standard is for: higher vocational colleges, secondary vocational schools or "
                "technical schools. A school takes the standard of its county and its type."
            ),
        ),
        "avg_teacher_salary": (
            "该年度当地同类学校编制内教师的年平均工资（元/人）。第十三条：纳入保障的兼职教师每人按此标准由同级财政核拨经费。",
            (
                "The average yearly salary of in-establishment teachers of similar local schools in that year (yuan "
                "per person). Art. 13: each funded part-time teacher is funded at this standard by same-level finance."
            ),
        ),
        "source": (
            "标准的出处，如统计公报或核定文件的名称和文号，便于核对。",
            "Where the figure comes from, e.g. the title and number of the statistics bulletin or decision.",
        ),
        "published_on": (
            "出处发布的日期；没有正式发布的，填录入本系统的日期。",
            "The date the source was published; where it was not published, the date the figure was entered here.",
        ),
    },
    "teacher_stats": {
        "school_code": _SCHOOL,
        "year": _YEAR,
        "full_time": (
            "该年度学校专任教师人数（人）。第十三条：可聘兼职教师的上限按此计算。",
            (
                "Full-time teachers of the school in that year (persons). Art. 13: the cap on part-time teachers is "
                "computed from it."
            ),
        ),
        "part_time": (
            "该年度学校聘任的兼职高技能人才人数（人）。第十三条：上限以内的由同级财政保障经费，超出上限的列为合规提示。",
            (
                "Highly skilled people the school hired as part-time teachers in that year (persons). Art. 13: those "
                "within the cap are funded by same-level finance, those over it are reported as a compliance finding."
            ),
        ),
        "part_time_fte": (
            "该年度兼职教师按工作量折合的全职人数，最多两位小数。第十三条：仅当测算口径为“按折合全职数”时用于计算兼职比例。",
            (
                "Part-time teachers in that year as full-time equivalents, up to two decimals. Art. 13: used for the "
                "part-time share only under the option 'by full-time equivalents'."
            ),
        ),
        "double_qualified": (
            "该年度学校“双师型”教师人数（人），仅作统计。",
            "Double-qualified teachers of the school in that year (persons), for statistics only.",
        ),
        "double_qualified_trained": (
            "该年度学校培训的“双师型”教师人数（人）。用于监测方案目标“培训‘双师型’教师人数”，自方案实施起累计。",
            (
                "Double-qualified teachers the school trained in that year (persons). Counts toward the plan's target "
                "for teachers trained, summed from the plan's start."
            ),
        ),
    },
    "student_stats": {
        "school_code": _SCHOOL,
        "year": _YEAR,
        "enrolled": (
            "该年度学校在校生人数（人）。第二十条：生均拨款上浮和生均公用经费上浮按此人数计算；也是一体化培养学生占比的分母。",
            (
                "Students enrolled at the school in that year (persons). Art. 20: both per-student uplifts are paid "
                "for these students; also the base of the share of students in integrated programmes."
            ),
        ),
        "intake": (
            "该年度招收的新生人数（人），仅作统计。",
            "New students admitted in that year (persons), for statistics only.",
        ),
        "graduates": (
            "该年度毕业生人数（人）。用于监测方案目标“培养学生人数”；高职院校的毕业生数也是留温就业率的分母。",
            (
                "Graduates in that year (persons). Counts toward the plan's target for students trained; a higher "
                "vocational college's graduates are also the base of its rate of graduates staying in Wenzhou."
            ),
        ),
        "graduates_local": (
            "该年度毕业生中在温州就业的人数（人）。用于监测方案目标“高职毕业生留温就业率”（第四条）。",
            (
                "Graduates of that year employed in Wenzhou (persons). Counts toward the plan's target for "
                "higher-vocational graduates staying in Wenzhou (Art. 4)."
            ),
        ),
        "integrated_secondary_higher": (
            "该年度在读中高职一体化培养的学生人数（人）。第四条：用于监测一体化培养学生占比逐年提升。",
            (
                "Students in integrated secondary–higher vocational programmes in that year (persons). Art. 4: "
                "monitors that the share of students in integrated programmes rises each year."
            ),
        ),
        "integrated_secondary_undergraduate": (
            "该年度在读中本一体化培养的学生人数（人）。第四条：用于监测一体化培养学生占比逐年提升。",
            (
                "Students in integrated secondary–undergraduate programmes in that year (persons). Art. 4: monitors "
                "that the share of students in integrated programmes rises each year."
            ),
        ),
        "three_plus_two": (
            "该年度在读“3+2”人才培养项目的学生人数（人）。第六条：拓宽中职学生升学通道。",
            (
                "Students in '3+2' programmes in that year (persons). Art. 6: wider paths to further study for "
                "secondary students."
            ),
        ),
        "three_plus_four": (
            "该年度在读“3+4”人才培养项目的学生人数（人）。第六条：拓宽中职学生升学通道。",
            (
                "Students in '3+4' programmes in that year (persons). Art. 6: wider paths to further study for "
                "secondary students."
            ),
        ),
        "study_abroad_funded": (
            "该年度由公费资助出国留学的学生人数（人）。第六条：每年支持一批学生公费出国留学。",
            (
                "Students sent to study abroad at public expense in that year (persons). Art. 6: a batch of students "
                "is funded to study abroad each year."
            ),
        ),
        "aided": (
            "该年度获得资助的家庭经济困难学生人数（人）。第六条：精准资助综合帮扶。",
            (
                "Students from families in financial difficulty who received aid in that year (persons). Art. 6: "
                "targeted financial aid."
            ),
        ),
    },
    "majors": {
        "school_code": _SCHOOL,
        "year": (
            "专业数据所属的年度，即公历年，填四位年份，如 2024；同一学校同一年度每个专业一行。",
            (
                "The calendar year the major's figures belong to, as four digits, e.g. 2024; one row per school, year "
                "and major."
            ),
        ),
        "name": (
            "专业名称，同一学校同一年度内不能重复。第十条：优化专业结构，报表据此列出新增与裁撤的专业。",
            (
                "The major's name, once per school and year. Art. 10: optimising the structure of majors; reports list "
                "the majors opened and closed from it."
            ),
        ),
        "national_code": (
            "该专业在国家《职业教育专业目录》中的六位数字代码。",
            "The major's six-digit code in the national catalogue of vocational education majors.",
        ),
        "professional_group": (
            "该专业所属的专业群名称；不属于专业群的不填。",
            "The professional group the major belongs to; blank if it belongs to none.",
        ),
        "industry": (
            "该专业主要服务的产业，如智能制造。第十条：支持新兴产业相关专业。",
            (
                "The industry the major mainly serves, e.g. intelligent manufacturing. Art. 10: majors of emerging "
                "industries are supported."
            ),
        ),
        "enrolment": ("该年度该专业在校生人数（人）。", "Students enrolled in the major in that year (persons)."),
        "graduates": ("该年度该专业毕业生人数（人）。", "Graduates of the major in that year (persons)."),
        "employment_rate": (
            "该年度该专业毕业生的就业率，填小数（如0.95）或百分数（如95%）。",
            (
                "The employment rate of the major's graduates of that year, as a fraction (e.g. 0.95) or a percentage "
                "(e.g. 95%)."
            ),
        ),
        "local_retention": (
            "该年度该专业毕业生中留在温州就业的比例，填小数（如0.45）或百分数（如45%）。",
            (
                "The share of the major's graduates of that year employed in Wenzhou, as a fraction (e.g. 0.45) or a "
                "percentage (e.g. 45%)."
            ),
        ),
    },
    "enterprises": {
        "code": (
            "企业的十八位统一社会信用代码，作为企业在本系统中的编号，录入后不可修改；认定表以此代码指明企业。",
            (
                "The enterprise's eighteen-character unified social credit code, its code in this system, unchangeable "
                "once entered; the certifications table names the enterprise by it."
            ),
        ),
        "name": ("企业全称，与营业执照一致。", "The enterprise's full name, as on its business licence."),
        "county": (
            "企业所在的县（市、区），填名称，如“乐清市”。第七条：产教融合型企业补助由该县（市、区）财政承担。",
            (
                "The county the enterprise is in, by name, e.g. Yueqing City. Art. 7: its integration subsidy is paid "
                "by this county's finance."
            ),
        ),
        "industry": (
            "企业所属行业，如电气、鞋服，仅作统计。",
            "The enterprise's industry, e.g. electrical equipment or shoes and garments, for statistics only.",
        ),
    },
    "enterprise_certifications": {
        "code": _CERTIFICATION_CODE,
        "enterprise_code": (
            "获认定企业的统一社会信用代码，须为企业表中已有的企业编号。",
            (
                "The certified enterprise's unified social credit code: must be an enterprise already in the "
                "enterprises table."
            ),
        ),
        "level": (
            "产教融合型企业的认定级别：市级、省级或国家级。第七条：按级别给予一次性补助。",
            (
                "The level at which the enterprise was certified as an industry–education integration enterprise: "
                "city, provincial or national. Art. 7: the one-time subsidy depends on it."
            ),
        ),
        "certified_on": (
            "认定文件上的认定日期。第七条：补助计入该日期所在年度，认定日期在方案实施期内的才给予补助。",
            (
                "The certification date on the certifying document. Art. 7: the subsidy counts in the year of this "
                "date, and only certifications dated within the plan's period receive it."
            ),
        ),
        "revoked_on": _REVOKED,
        "revocation_reason": _REASON,
    },
    "platforms": {
        "code": (
            "平台在本系统中的编号，在本表中唯一，录入后不可修改；平台认定表以此编号指明平台。",
            (
                "The platform's code in this system, unique in this table and unchangeable once entered; the platform "
                "certifications table names the platform by it."
            ),
        ),
        "name": ("平台全称，与认定文件一致。", "The platform's full name, as on its certifying document."),
        "school_code": (
            "平台所属学校的编号，须为学校表中已有的学校编号；平台所在县（市、区）按所属学校确定。",
            (
                "The code of the school the platform belongs to: must be a school already in the schools table; the "
                "platform's county is its school's."
            ),
        ),
        "kind": (
            "科研平台或实训平台。第三条：提升或新建科研、实训平台。",
            "Research or training platform. Art. 3: research and training platforms are upgraded or built.",
        ),
    },
    "platform_certifications": {
        "code": _CERTIFICATION_CODE,
        "platform_code": (
            "获认定平台的编号，须为平台表中已有的平台编号。",
            "The certified platform's code: must be a platform already in the platforms table.",
        ),
        "level": (
            "平台的认定级别：省级或国家级。第三条：新创成的平台按级别给予一次性奖励，由市财政承担。",
            (
                "The level at which the platform was certified: provincial or national. Art. 3: a newly created "
                "platform receives a one-time award by level, paid by city finance."
            ),
        ),
        "certified_on": (
            "平台新创成（获认定）的日期。第三条：奖励计入该日期所在年度，也用于监测方案目标“提升或新建科研、实训平台数”。",
            (
                "The date the platform was newly created (certified). Art. 3: the award counts in the year of this "
                "date, which also counts toward the plan's target for platforms upgraded or built."
            ),
        ),
        "revoked_on": _REVOKED,
        "revocation_reason": _REASON,
    },
    "projects": {
        "code": (
            "建设项目在本系统中的编号，在本表中唯一，录入后不可修改。",
            "The project's code in this system, unique in this table and unchangeable once entered.",
        ),
        "name": ("项目名称，与立项文件一致。", "The project's name, as in its approval document."),
        "school_code": (
            "建设该项目的学校编号，须为学校表中已有的学校编号。",
            "The code of the school the project builds for: must be a school already in the schools table.",
        ),
        "kind": (
            "新建、迁建或改扩建。第三条：用于监测方案目标“开工新（迁、扩）建职业学校数”。",
            (
                "New, relocated or expanded. Art. 3: counts toward the plan's target for schools newly built, "
                "relocated or expanded."
            ),
        ),
        "planned_investment": ("项目计划总投资（元）。", "The project's planned total investment (yuan)."),
        "actual_investment": (
            "截至填报时项目实际完成的投资（元）。第三条：方案实施以来开工项目的实际完成投资计入职业学校项目总投资。",
            (
                "The investment actually made in the project so far (yuan). Art. 3: for projects started since the "
                "plan began it counts toward the total investment in vocational school projects."
            ),
        ),
        "started_on": (
            "项目开工日期，未开工的不填。第三条：方案实施以来开工的项目计入投资和开工学校数。",
            (
                "The date building started; blank if not yet started. Art. 3: projects started since the plan began "
                "count toward the investment and the schools started."
            ),
        ),
        "completed_on": (
            "项目竣工日期，未竣工的不填，不得早于开工日期。",
            "The date the project was completed; blank if not yet completed, and not before the start date.",
        ),
    },
    "donations": {
        "code": (
            "捐赠记录在本系统中的编号，在本表中唯一，录入后不可修改；每笔到账的捐赠填一行。",
            (
                "The donation record's code in this system, unique in this table and unchangeable once entered; one "
                "row per donation received."
            ),
        ),
        "school_code": (
            "受赠学校的编号，须为学校表中已有的学校编号。",
            "The code of the school that received the donation: must be a school already in the schools table.",
        ),
        "donor": ("捐赠单位或个人的名称。", "The name of the donating organisation or person."),
        "amount": ("本笔捐赠到账的金额（元）。", "The amount of this donation received (yuan)."),
        "received_on": (
            "捐赠资金到账的日期。第二十条：配套资金按到账日期所在年度计算。",
            "The date the donation was received. Art. 20: the matching funds count in the year of this date.",
        ),
        "capital": (
            "该笔捐赠是否用于资本性支出（如基本建设、设备购置），填“是”或“否”。第二十条：填“是”的捐赠由地方财政按不低于规定比例配套。",
            (
                "Whether the donation is spent on capital expenditure (e.g. building, equipment), yes or no. Art. 20: "
                "local finance matches donations marked yes at no less than the set rate."
            ),
        ),
    },
    "communities": {
        "code": (
            "产教融合共同体在本系统中的编号，在本表中唯一，录入后不可修改；成员表以此编号指明共同体。",
            (
                "The community's code in this system, unique in this table and unchangeable once entered; the members "
                "table names the community by it."
            ),
        ),
        "name": (
            "共同体名称。第七条：政府、学校、行业协会和企业共建的产教融合共同体。",
            (
                "The community's name. Art. 7: industry–education integration communities built by government, "
                "schools, industry associations and enterprises together."
            ),
        ),
        "industry": ("共同体对接的行业。", "The industry the community serves."),
        "founded_on": ("共同体成立的日期。", "The date the community was founded."),
    },
    "community_members": {
        "community_code": (
            "所属共同体的编号，须为产教融合共同体表中已有的编号。",
            "The code of the member's community: must be a community already in the integration communities table.",
        ),
        "member_kind": (
            "成员类型：政府部门、学校、行业协会或企业。",
            "The kind of member: government department, school, industry association or enterprise.",
        ),
        "member_name": (
            "成员单位全称，同一共同体内不能重复。",
            "The member's full name, once per community.",
        ),
        "member_code": (
            "成员在本系统中的编号，可不填：学校填学校编号，企业填统一社会信用代码。",
            (
                "The member's code in this system, optional: a school's code for a school, the unified social credit "
                "code for an enterprise."
            ),
        ),
        "role": (
            "成员在共同体理事会中的角色，如理事长单位、理事单位。",
            "The member's role on the community's board, e.g. chair or board member.",
        ),
    },
    "international_programmes": {
        "code": (
            "国际合作项目或园区在本系统中的编号，在本表中唯一，录入后不可修改。",
            "The programme's or park's code in this system, unique in this table and unchangeable once entered.",
        ),
        "name": (
            "项目或园区的名称，如中-意职业教育园。",
            "The name of the programme or park, e.g. the China–Italy vocational education park.",
        ),
        "kind": (
            "合作项目或合作园区。第十八条：国际化试点项目和中外职业教育园。",
            (
                "Programme or park. Art. 18: international pilot programmes and vocational education parks with other "
                "countries."
            ),
        ),
        "partner_country": ("合作的国家，如意大利、德国。", "The partner country, e.g. Italy or Germany."),
        "school_code": (
            "承办学校的编号，须为学校表中已有的学校编号；不属于某一学校的不填。",
            (
                "The code of the school that runs it: must be a school already in the schools table; blank if no "
                "single school runs it."
            ),
        ),
        "started_on": ("项目启动或园区建设启动的日期。", "The date the programme or the park's construction started."),
    },
    "national_brands": {
        "code": (
            "“国字号”品牌记录在本系统中的编号，在本表中唯一，录入后不可修改。",
            "The national brand record's code in this system, unique in this table and unchangeable once entered.",
        ),
        "name": (
            "获评的品牌、优质学校或优质专业的名称。",
            "The name of the brand, high-quality school or high-quality major awarded.",
        ),
        "category": (
            "品牌、优质学校或优质专业。“品牌”计入争创“国字号”品牌数，“优质学校”“优质专业”计入国家级优质中职学校或专业数。",
            (
                "Brand, high-quality school or high-quality major. Brands count toward the plan's target for "
                "national-level brands, the others toward national high-quality secondary schools or majors."
            ),
        ),
        "school_code": (
            "获评学校的编号，须为学校表中已有的学校编号；不属于某一学校的（全市性品牌）不填。",
            (
                "The code of the school awarded: must be a school already in the schools table; blank for a brand of "
                "the whole city."
            ),
        ),
        "awarded_on": (
            "获评（公布）的日期。方案实施以来获评的计入目标监测。",
            "The date it was awarded (announced). Awards since the plan began count toward the targets.",
        ),
    },
}


def meaning(table: str, column: str, lang: str) -> str:
    """What ``column`` of ``table`` means, in Chinese for ``lang == "zh"`` and in English otherwise.

    Raises KeyError for a column the guide does not know (the unit tests keep every column of TABLES covered).
    """
    zh, en = MEANINGS[table][column]
    return zh if lang == "zh" else en

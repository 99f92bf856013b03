//! The study design read from a record's own sentences: every example of issue 12's "Why",
//! written as a record in our own words, gets the right design or none.

use super::matcher::{Matcher, TagInput};
use super::taxonomy::Taxonomy;

fn design(title: &str, abstract_text: &str, types: &[&str]) -> Option<String> {
    design_with(title, abstract_text, types)
}

fn design_with(title: &str, abstract_text: &str, types: &[&str]) -> Option<String> {
    thread_local! {
        static MATCHER: Matcher = Matcher::new(Taxonomy::builtin());
    }
    let input = TagInput {
        title,
        abstract_text: abstract_text.to_string(),
        publication_types: types.iter().map(|t| (None, *t)).collect(),
        ..TagInput::default()
    };
    MATCHER.with(|m| {
        m.tag(&input)
            .into_iter()
            .find(|t| t.dimension == "design")
            .map(|t| t.tag)
    })
}

#[track_caller]
fn check(expected: Option<&str>, title: &str, abstract_text: &str) {
    assert_eq!(
        design(title, abstract_text, &["Journal Article"]).as_deref(),
        expected,
        "{title} / {abstract_text}"
    );
}

#[test]
fn designs_stated_without_a_design_keyword() {
    check(
        Some("rct"),
        "Randomized phase III trial of oxaliplatin with or without radiotherapy in gastric cancer",
        "We compared two adjuvant regimens in 412 patients. Survival at five years did not differ.",
    );
    check(
        Some("case-series"),
        "Lumbar fusion for isthmic spondylolisthesis: ten-year outcomes",
        "We report the long-term results of fusion in 30 patients operated on between 2005 and 2010. Fusion was solid in 27.",
    );
    check(
        Some("case-series"),
        "Spinal epidural abscess after paravertebral injections",
        "Six cases treated at our hospital are described. All recovered after drainage and antibiotics.",
    );
    check(
        Some("case-report"),
        "Sudden paraplegia after a lumbar injection",
        "A 57-year-old man presented with leg weakness two hours after a paravertebral injection. MRI showed a haematoma.",
    );
    check(
        Some("non-randomized-trial"),
        "Intradiscal ozone for contained disc herniation",
        "In this single-arm phase II study, 40 patients received one intradiscal injection of ozone. Pain fell by half at six months.",
    );
    check(
        Some("guideline"),
        "Interventional treatment of lumbar radicular pain",
        "An expert panel of pain physicians graded the evidence. Strong recommendations were made for epidural steroid injection; a conditional recommendation was made for ozone.",
    );
    check(
        Some("narrative-review"),
        "Ozone in spinal pain: mechanisms and clinical use",
        "Ozone modulates inflammation and oxidative stress. This article discusses how it acts on the disc and what the clinical results mean for practice.",
    );
}

#[test]
fn background_and_future_work_never_decide() {
    check(
        Some("rct"),
        "Ozone versus steroid injection for sciatica",
        "BACKGROUND: Meta-analyses of previous randomised controlled trials showed a benefit of ozone.\nMETHODS: Patients were randomly assigned to ozone or steroid.\nRESULTS: Pain improved in both groups.",
    );
    // Even over its own publication type.
    assert_eq!(
        design(
            "Ozone versus steroid injection for sciatica",
            "BACKGROUND: Meta-analyses of previous trials showed a benefit.\nRESULTS: Pain improved in both groups.",
            &["Randomized Controlled Trial", "Journal Article"],
        )
        .as_deref(),
        Some("rct")
    );
    check(
        Some("cohort"),
        "Back pain after spinal fusion",
        "We followed 200 patients in a prospective cohort and compared those fused at one level with those fused at two. Further randomized studies are necessary.",
    );
    check(
        Some("guideline"),
        "Management of chronic low back pain",
        "These recommendations of the task force are based on ten systematic reviews and meta-analyses.",
    );
}

#[test]
fn words_out_of_their_sense() {
    check(
        Some("cohort"),
        "Obstetric outcomes after assisted reproduction",
        "In this retrospective cohort study we compared 500 women conceiving by in vitro fertilization with 1,000 women conceiving naturally.",
    );
    check(
        Some("other"),
        "Body mass index and lumbar disc degeneration",
        "We used Mendelian randomization with genetic variants as instruments for body mass index.",
    );
    check(
        Some("other"),
        "Intradiscal ozone in a porcine model",
        "Twenty-four pigs were randomly assigned to ozone or saline injection into the disc.",
    );
    check(
        Some("case-series"),
        "Giant cell tumour of the sacrum",
        "We reviewed 14 patients treated by curettage. The propensity of the tumour to recur was high.",
    );
    check(
        Some("rct"),
        "First-line chemotherapy in advanced lung cancer",
        "Patients with no prior chemotherapy were randomly assigned to cisplatin or carboplatin.",
    );
    check(
        Some("non-randomized-trial"),
        "Ozone for facet pain",
        "This was a non-randomized controlled study of 60 patients.",
    );
}

#[test]
fn the_specific_design_beats_the_generic_one() {
    check(
        Some("case-control"),
        "Occupational lifting and sciatica",
        "We conducted a population-based case-control study of 300 cases and 600 controls.",
    );
    check(
        Some("cross-sectional"),
        "Back pain among nurses",
        "This cross-sectional observational study surveyed 812 nurses in 12 hospitals.",
    );
    check(
        Some("case-series"),
        "Intradiscal ozone for contained herniation",
        "In this prospective study, 43 patients received a single intradiscal injection of ozone and were followed for a year.",
    );
}

#[test]
fn nothing_decides_no_design() {
    check(
        None,
        "Ozone therapy and back pain",
        "Ozone is used for back pain in several countries. Its mechanism is debated.",
    );
}

#[test]
fn designs_read_from_how_the_study_was_done() {
    check(
        Some("meta-analysis"),
        "Epidural steroids for sciatica: an updated synthesis",
        "We searched MEDLINE and Embase. Effects were combined with random-effects models; heterogeneity was high (I2 = 78%).",
    );
    check(
        Some("rct"),
        "Ozone versus steroid for facet pain",
        "Patients were allocated by a computer-generated random sequence with sealed opaque envelopes to ozone or steroid.",
    );
    check(
        Some("non-randomized-trial"),
        "Paravertebral ozone in chronic neck pain",
        "In this prospective interventional study, 40 patients received weekly paravertebral ozone for six weeks.",
    );
    check(
        Some("case-report"),
        "Spinal epidural abscess after paravertebral injection",
        "A woman in her sixties presented with fever and back pain two weeks after an injection.",
    );
    check(
        Some("guideline"),
        "Management of sciatica in primary care",
        "A multidisciplinary group rated each statement; consensus was achieved on 14 statements, graded by strength of recommendation.",
    );
    check(
        Some("other"),
        "Ozone and disc cell survival",
        "Nucleus pulposus chondrocytes were exposed to ozone and cell viability was measured at 24 hours.",
    );
    check(
        Some("case-report"),
        "Ozone-related headache: a case report with review of the literature",
        "We report a patient who developed headache after intradiscal ozone, with a review of the literature.",
    );
}

#[test]
fn comparisons_that_name_their_design_only_by_how_groups_were_formed() {
    check(
        Some("case-control"),
        "A variant near IL23R and ankylosing spondylitis",
        "We genotyped 1,045 patients with ankylosing spondylitis and 1,210 healthy controls for six variants.",
    );
    check(
        Some("non-randomized-trial"),
        "Centre-based versus home-based rehabilitation: a preference-based controlled trial",
        "Patients discharged after myocardial infarction chose between supervised rehabilitation and a home programme.",
    );
}

#[test]
fn how_a_study_formed_and_followed_its_groups() {
    check(
        Some("non-randomized-trial"),
        "Ozone autohaemotherapy for diabetic foot ulcers: a controlled study",
        "Sixty-four patients chose ozone plus standard care (n = 30) or standard care alone (n = 34). Allocation was not random.",
    );
    check(
        Some("cohort"),
        "Rotating night shift work and type 2 diabetes in nurses",
        "We followed 2,804 nurses who worked night shifts and 3,115 nurses who worked days only. Night work was associated with higher risk (hazard ratio 1.31).",
    );
    check(
        Some("cross-sectional"),
        "Burnout among hospital nurses",
        "A questionnaire was mailed to 1,200 randomly selected nurses; 684 returned it (response rate 57%).",
    );
    check(
        Some("other"),
        "Bond strength of universal adhesives",
        "Sixty extracted human premolars were randomly assigned to four adhesive protocols and microtensile bond strength was measured.",
    );
    check(
        Some("non-randomized-trial"),
        "Group therapy for fear of cancer recurrence: a pilot feasibility study",
        "Twenty women enrolled in a single-arm pre-post study. A randomised controlled trial is planned.",
    );
}

#[test]
fn a_trial_s_title_does_not_hide_its_randomisation() {
    check(
        Some("rct"),
        "Repeated occipital nerve blocks for chronic migraine: a placebo-controlled trial",
        "Sixty patients with chronic migraine were randomly assigned (1:1) to bupivacaine or saline blocks.",
    );
    check(
        Some("case-series"),
        "Peritendinous ozone injections for Achilles tendinopathy in runners",
        "Twenty-two recreational runners with tendinopathy received weekly peritendinous ozone injections. Scores improved at 6 months.",
    );
    check(
        Some("narrative-review"),
        "Active surveillance for prostate cancer: a collaborative review",
        "A non-systematic literature search was performed and articles were selected by consensus of the authors.",
    );
    check(
        Some("case-control"),
        "Childhood adversity and cannabis use in psychosis",
        "Patients with a first episode of psychosis (n = 203) and community controls (n = 245) completed the questionnaire.",
    );
}

#[test]
fn a_case_report_stays_one_whatever_else_it_mentions() {
    check(
        Some("case-report"),
        "Drug reaction with eosinophilia after lamotrigine in an adolescent",
        "We present a 16-year-old girl who developed fever and rash; the dose escalation had been rapid.",
    );
    check(
        Some("case-report"),
        "Monochorionic twins discordant for congenital infection",
        "We describe monochorionic diamniotic twins born at 34 weeks with discordant outcomes.",
    );
    check(
        Some("guideline"),
        "Perioperative care of adults with sleep apnoea",
        "Representatives of three societies produced this consensus document after reviewing the evidence.",
    );
    check(
        Some("case-control"),
        "Serum vitamin D and chronic urticaria",
        "We compared vitamin D in patients with urticaria (n = 58) and healthy controls (n = 60).",
    );
}

#[test]
fn allocation_by_day_and_baseline_analyses() {
    check(
        Some("non-randomized-trial"),
        "Early mobilisation after hip fracture surgery",
        "Patients were allocated alternately by day of admission to early or standard mobilisation.",
    );
    check(
        Some("cross-sectional"),
        "Sleep duration and arterial stiffness: baseline analysis of an ageing cohort",
        "In total, 1,456 participants wore an accelerometer for 7 days.",
    );
}

#[test]
fn comparison_groups_and_questionnaires_without_a_design_word() {
    check(
        Some("case-control"),
        "Night-shift work and breast cancer in nurses",
        "We identified 240 nurses with a first breast cancer from the occupational registry. For each, three nurses without cancer matched on birth year were drawn from the same hospitals.",
    );
    check(
        Some("case-control"),
        "Residential radon and lung cancer in never-smokers",
        "METHODS: Never-smokers with lung cancer were identified at four hospitals. Adults without cancer were recruited from the same districts through primary care lists.",
    );
    check(
        Some("cross-sectional"),
        "Sleep and screen use in secondary-school pupils",
        "All 3,200 pupils of twelve schools were invited; 2,750 completed an anonymous questionnaire on sleep, screen use and mood.",
    );
}

#[test]
fn groups_formed_by_preference_or_by_site_are_a_non_randomised_trial() {
    check(
        Some("non-randomized-trial"),
        "Acupuncture or physiotherapy for chronic neck pain: allocation by patient preference",
        "METHODS: Adults with neck pain for at least 3 months chose either acupuncture (n = 40) or physiotherapy (n = 38).",
    );
    check(
        Some("non-randomized-trial"),
        "A falls-prevention programme in residential care",
        "METHODS: The programme was introduced in four care homes; three comparison care homes continued usual care. Falls were recorded for 12 months.",
    );
}

#[test]
fn randomisation_told_by_how_the_sequence_was_made_and_hidden() {
    check(
        Some("rct"),
        "Honey dressings for split-skin graft donor sites",
        "METHODS: Adults having a split-skin graft were assigned in a 1:1 ratio to honey or paraffin gauze dressings by a computer-generated list held by the ward pharmacist.",
    );
    check(
        Some("rct"),
        "Early versus delayed oral feeding after caesarean section",
        "METHODS: Women were allocated to early or delayed feeding; allocation was by sealed, opaque, sequentially numbered envelopes opened after delivery.",
    );
    check(
        Some("case-control"),
        "Well water and childhood leukaemia",
        "We enrolled 90 children with acute lymphoblastic leukaemia from three centres. Each family nominated two children of similar age from the same village, who were interviewed with the same questionnaire.",
    );
}

#[test]
fn a_protocol_is_not_the_trial_it_plans() {
    check(
        Some("other"),
        "Yoga for chronic low back pain in older adults: protocol for a pragmatic randomised controlled trial",
        "METHODS AND ANALYSIS: We will recruit 260 adults aged 65 or over, who will be randomly allocated to yoga classes or usual care.",
    );
}

#[test]
fn allocation_told_by_blocks_envelopes_or_calendar_days() {
    check(
        Some("rct"),
        "Chewing gum after caesarean section and return of bowel function",
        "METHODS: Women were assigned to chewing gum or usual care using permuted blocks of four; each assignment was sealed in an opaque envelope.",
    );
    check(
        Some("non-randomized-trial"),
        "Music during colonoscopy and sedation needs",
        "METHODS: Patients examined on odd days listened to music through headphones; those examined on even days had the usual procedure.",
    );
}

#[test]
fn a_comparison_site_or_period_before_a_programme_makes_a_non_randomised_trial() {
    check(
        Some("non-randomized-trial"),
        "Group exercise for knee osteoarthritis in two health centres",
        "METHODS: Adults attending one health centre were offered the programme, while adults attending a comparison clinic of similar size received usual care.",
    );
    check(
        Some("non-randomized-trial"),
        "A fall-prevention bundle on a geriatric ward",
        "METHODS: All patients admitted during 2023, when the bundle was in place, were compared with all patients admitted to the same ward during 2021, before its introduction.",
    );
}

#[test]
fn controls_without_the_disease_matched_to_cases_and_hazard_ratios() {
    check(
        Some("case-control"),
        "Childhood infections and later coeliac disease",
        "We compared 120 children with coeliac disease with 240 children without it, matched for age and sex, with respect to infections recorded before diagnosis. Infections were more frequent in the first group (odds ratio 1.4).",
    );
    check(
        Some("case-control"),
        "Shift work and breast cancer",
        "Ninety women treated for breast cancer at one hospital and 180 age-matched women without cancer, drawn from the same screening register, were interviewed about their work history.",
    );
    check(
        Some("case-control"),
        "Farm work and Parkinson disease",
        "The occupational histories of 75 patients with Parkinson disease were compared with those of 150 patients admitted for minor surgery, matched by sex and age band.",
    );
    // Exposure groups followed for an outcome: a cohort, whatever their matching.
    check(
        Some("cohort"),
        "Statin use and cataract surgery",
        "From a regional database we identified 9,200 adults who started a statin and compared them with 18,400 adults of similar age who started another drug. Cataract surgery was more frequent among statin users (adjusted HR 1.12, 95% CI 1.03-1.22).",
    );
    check(
        Some("cohort"),
        "Two knee prostheses in older patients",
        "We identified 6,000 knee replacements in a national register, of which 3,900 used a fixed and 2,100 a mobile bearing. The outcome was revision within 10 years, with death as a competing risk.",
    );
}

#[test]
fn a_review_is_not_the_design_of_the_studies_it_pools() {
    check(
        Some("meta-analysis"),
        "Early versus delayed mobilisation after ankle fracture fixation: pooled evidence from randomised trials",
        "We searched three databases for trials comparing early with delayed mobilisation. Data were combined with random-effects models. Twelve trials with 1,020 patients were included.",
    );
    check(
        Some("meta-analysis"),
        "Coffee and gallstone disease: dose-response analysis of prospective cohort studies",
        "Relative risks from 14 cohorts were combined with random-effects models; the summary relative risk per cup was 0.95.",
    );
    // The singular still names the record's own design.
    check(
        Some("rct"),
        "Early mobilisation after ankle fracture fixation: a randomised trial",
        "We assigned 120 adults to early or delayed mobilisation.",
    );
}

#[test]
fn an_article_that_updates_or_traces_is_a_narrative_review() {
    check(
        Some("narrative-review"),
        "Management of acute gout in 2025",
        "Gout flares are common. This article updates clinicians on treatment; colchicine helps up to one in five patients within a day.",
    );
    check(
        Some("narrative-review"),
        "From bloodletting to biologics",
        "This essay traces the history of rheumatology from antiquity to the present.",
    );
}

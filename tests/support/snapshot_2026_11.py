"""A result as rulebook 2026.11 saved it, for the tests of results of two versions side by side.

Verbatim, long lines included: never regenerate it from today's code.
"""

# ruff: noqa: E501

import copy

# Exactly what rulebook 2026.11's score(...).to_dict() gave for: a device shared or maybe
# (R-SHARED, a stop), pregnant (R-PREGNANT, then citing S36 with grade B/C), pinpoint bleeding,
# and a 0.25 mm needle 2-3 times a week (R-FREQUENT-SHORT, which 2026.12 no longer fires), on a
# "new, sterile" device used 3 times (an input error since 2026.12).
SNAPSHOT_2026_11 = {
    "rulebook_version": "2026.11",
    "points": 7,
    "level": "high",
    "hard_stop": True,
    "consult_professional": True,
    "factors": [
        {
            "rule_id": "R-PREGNANT",
            "points": 4,
            "severity": "high",
            "consult": True,
            "title": "Pregnant or breastfeeding",
            "why": "There are no safety data for microneedling in pregnancy, and minoxidil must not be used in pregnancy.",
            "advice": "Wait until after pregnancy and breastfeeding, and ask your midwife, GP or pharmacist before using any hair-loss treatment.",
            "grade": "B/C",
            "sources": [
                {
                    "id": "S31",
                    "citation": "Topical minoxidil label (as restated by drug-information services)",
                },
                {"id": "S36", "citation": "GPnotebook. Referral criteria, alopecia areata"},
            ],
        },
        {
            "rule_id": "R-SHARED",
            "points": 0,
            "severity": "stop",
            "consult": True,
            "title": "Device shared, or it may have been",
            "why": "Infections, and diseases passed between people who shared a device, have been documented. Blunt, worn needles tear the skin instead of piercing it cleanly.",
            "advice": "Stop using this device: cleaning cannot make a shared device safe. Get a new device that only you use. If it was shared, consider asking your GP about a blood-borne virus test.",
            "grade": "A",
            "sources": [
                {
                    "id": "S23",
                    "citation": "US FDA. Regulatory considerations for microneedling products, 2020",
                },
                {
                    "id": "S25",
                    "citation": "US FDA consumer update. Microneedling devices: getting to the point on benefits, risks and safety",
                },
                {
                    "id": "S26",
                    "citation": "CDC MMWR 2024;73(16):372–376. HIV transmission associated with microneedling at a spa",
                },
                {
                    "id": "S27",
                    "citation": "Doddaballapur S. Microneedling with dermaroller. J Cutan Aesthet Surg 2009;2(2):110–111",
                },
                {
                    "id": "S43",
                    "citation": "Vendor device-care pages (70% isopropyl alcohol, replacement after 12–15 uses)",
                },
            ],
        },
        {
            "rule_id": "R-FREQUENT-SHORT",
            "points": 1,
            "severity": "info",
            "consult": False,
            "title": "Short needle, 2 to 3 times a week",
            "why": "The skin barrier needs time to recover between sessions, and the trials needled weekly or less often.",
            "advice": "Once a week is enough; the trials that showed benefit needled weekly or less often.",
            "grade": "A/B",
            "sources": [
                {
                    "id": "S1",
                    "citation": "Dhurat R et al. A randomized evaluator blinded study of effect of microneedling in androgenetic alopecia. Int J Trichology 2013;5(1):6–11. doi:10.4103/0974-7753.114700",
                },
                {
                    "id": "S3",
                    "citation": "Kumar MK, Inamadar AC, Palit A. Minoxidil plus microneedling vs minoxidil alone in AGA. J Cutan Aesthet Surg 2018;11(4):211–216. doi:10.4103/JCAS.JCAS_130_17",
                },
                {
                    "id": "S29",
                    "citation": "Kalluri H, Kolli CS, Banga AK. Characterization of microchannels created by metal microneedles. AAPS J 2011;13(3):473–481",
                },
            ],
        },
        {
            "rule_id": "R-PINPOINT",
            "points": 2,
            "severity": "caution",
            "consult": False,
            "title": "Needling until pinpoint bleeding",
            "why": "Pressing too hard irritates the scalp and can damage hair follicles; tram-track scarring is a known harm.",
            "advice": "Press lightly and stop when the skin turns mildly pink; bleeding is not needed at home.",
            "grade": "A/B",
            "sources": [
                {
                    "id": "S0",
                    "citation": 'Article "Can Derma roller Cause Hair Loss?": no direct evidence of hair loss from proper use; aggressive use or excess pressure may irritate the scalp and damage follicles (temporary shedding); 0.25–0.5 mm for the scalp; sanitise; gentle pressure; consult a professional with scalp conditions or hair-loss concerns',
                },
                {
                    "id": "S11",
                    "citation": "Chu S, Foulad DP, Atanaskova Mesinkovska N. Safety profile for microneedling: a systematic review. Dermatol Surg 2021;47(9):1249–1254",
                },
                {
                    "id": "S16",
                    "citation": "Harris AG, Naidoo C, Murrell DF. Skin needling as a treatment for acne scarring. Int J Womens Dermatol 2015;1:77–81",
                },
            ],
        },
    ],
    "lower_risk": [
        {
            "rule_id": "R-SHARED",
            "change": "Use a new device of your own",
            "points": 7,
            "level": "moderate",
            "hard_stop": False,
            "consult_professional": True,
        },
        {
            "rule_id": "R-PINPOINT",
            "change": "Press lightly and stop at mild redness",
            "points": 5,
            "level": "high",
            "hard_stop": True,
            "consult_professional": True,
        },
        {
            "rule_id": "R-FREQUENT-SHORT",
            "change": "Needle once a week at most",
            "points": 6,
            "level": "high",
            "hard_stop": True,
            "consult_professional": True,
        },
    ],
    "checklist": [
        {"id": "needle", "text": "Use a needle of 0.25–0.5 mm for home scalp use.", "met": True},
        {
            "id": "own_clean_device",
            "text": "Use a device of your own, disinfected with 70% isopropyl alcohol and air-dried.",
            "met": False,
        },
        {
            "id": "light_pressure",
            "text": "Use light pressure, and stop at mild redness.",
            "met": False,
        },
        {
            "id": "no_serums",
            "text": "Put no serums or injectable products on needled skin.",
            "met": True,
        },
        {
            "id": "minoxidil_wait",
            "text": "Wait about 24 hours after needling before applying minoxidil.",
            "met": True,
        },
        {
            "id": "warning_signs",
            "text": "Expected redness settles within about 7 days. Redness that lasts longer, pus, spreading redness, fever or new bald patches need a clinician.",
            "met": None,
        },
    ],
    "answers": {
        "scalp_open_wounds": "no",
        "scalp_inflammatory": "never",
        "scarring_signs": "no",
        "suspicious_lesion": "no",
        "scalp_irritated": "no",
        "hair_loss_signs": ["none"],
        "diagnosis": "aga",
        "systemic_symptoms": "no",
        "recent_trigger": "no",
        "age_band": "22_plus",
        "pregnant_or_breastfeeding": "yes",
        "bleeding_risk": "no",
        "isotretinoin": "never",
        "immunosuppressed": "no",
        "diabetes": "no",
        "keloid": "no",
        "metal_allergy": "no",
        "heart_condition": "no",
        "device_type": "roller",
        "needle_length": "up_to_0_25",
        "device_condition": "new_sterile",
        "device_uses": 3,
        "device_shared": "not_sure",
        "frequency": "2_3_per_week",
        "pressure": "pinpoint_bleeding",
        "aftercare": ["plain_moisturiser_or_saline"],
        "used_before": "no",
        "past_reactions": ["none"],
        "notes": "",
    },
}
# The model fields a 2026.11 result was saved in: the keys of its snapshot.
FIELDS_2026_11 = tuple(SNAPSHOT_2026_11)


def snapshot_2026_11(**changes) -> dict:
    return {**copy.deepcopy(SNAPSHOT_2026_11), **changes}

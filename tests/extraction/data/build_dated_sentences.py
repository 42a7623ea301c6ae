"""Build ``dated_sentences.jsonl``: news sentences with the calendar date of their event.

Written for Wirewatch (own work, see SOURCES.md): every sentence was composed for this
set in wire-service style; names of outlets and minor people are invented. Expected
dates are computed here with plain calendar arithmetic from the rules below, not with
``streams.extraction.dates``, so the set checks the resolver instead of echoing it.

Run ``python tests/extraction/data/build_dated_sentences.py``; the build is
deterministic (same script, same bytes).

Rules (the "anchor" is the publication date in the outlet's own offset, i.e. the local
date of ``published_at`` as written, not its UTC date):

- no date expression: the anchor (the stage marks it ``date_precision="article"``);
- bare weekday in a past or neutral clause ("said on Friday", "Friday night"): the
  most recent such day on or before the anchor, so a Friday article's "on Friday" is
  that same Friday (wire style names the day even for "today");
- bare weekday in a future clause (will/'ll/shall/would, "is due/set/scheduled/expected
  to", "plans to", "is to", present-tense schedule verbs "opens on Monday"): the next
  such day on or after the anchor, again the anchor itself on the same weekday;
- "last Friday": strictly before the anchor; "next Friday": strictly after; "this
  Friday": on or after;
- yesterday = anchor - 1, the day before yesterday = anchor - 2, "N days ago" = anchor - N,
  "a week ago" = anchor - 7; today, tonight, this morning/afternoon/evening, earlier/later
  today, overnight = anchor; last night = anchor - 1;
- week and month expressions resolve to the first day of the period (weeks start on
  Monday, ISO): "last week" = Monday of the previous week, "earlier this week" /
  "this week" / "later this week" = Monday of the anchor's week, "next week" = Monday
  of the following week, "earlier this month" / "this month" = the 1st of the anchor's
  month, "last month" = the 1st of the previous month, "next month" = the 1st of the next.
  One date per period means two articles about the same "last week" agree;
- explicit dates with a year: that date, whatever the tense;
- explicit dates without a year: past clause = latest occurrence on or before the
  anchor, future clause = earliest on or after, neutral = the nearer of the two;
- numeric dates: ISO 2025-06-13; d/m/y or m/d/y only when one field is > 12, else
  the reading nearer the anchor (day-first on a tie);
- several dates in a sentence: the date of the reported event rather than of the
  reporting verb ("said on Friday that the strike hit on Wednesday" = Wednesday).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).with_name("dated_sentences.jsonl")
WD = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Publication stamps (local offsets kept). Weekday of the local date in the comment.
FRI = "2025-06-13T18:00:00+00:00"  # Friday
WED = "2025-06-11T09:15:00+02:00"  # Wednesday
MON = "2025-06-16T07:40:00+00:00"  # Monday
JAN2 = "2025-01-02T10:00:00+00:00"  # Thursday, year boundary
MAR1 = "2025-03-01T12:00:00-05:00"  # Saturday, month boundary (February has 28 days)
TZ_EAST = "2025-06-14T00:30:00+03:00"  # Saturday local, Friday 21:30 UTC
TZ_WEST = "2024-12-31T23:30:00-08:00"  # Tuesday local, already 1 January 2025 in UTC
NOV = "2025-11-05T14:00:00+05:30"  # Wednesday
SUN = "2025-08-03T20:00:00+01:00"  # Sunday


def anchor(stamp: str) -> date:
    return datetime.fromisoformat(stamp).date()


def back(stamp: str, day: str, strict: bool = False) -> date:
    a = anchor(stamp)
    n = (a.weekday() - WD.index(day)) % 7
    return a - timedelta(days=7 if strict and n == 0 else n)


def ahead(stamp: str, day: str, strict: bool = False) -> date:
    a = anchor(stamp)
    n = (WD.index(day) - a.weekday()) % 7
    return a + timedelta(days=7 if strict and n == 0 else n)


def shift(stamp: str, days: int) -> date:
    return anchor(stamp) + timedelta(days=days)


def monday(stamp: str, weeks: int = 0) -> date:
    a = anchor(stamp)
    return a - timedelta(days=a.weekday()) + timedelta(weeks=weeks)


def first(stamp: str, months: int = 0) -> date:
    a = anchor(stamp)
    y, m = divmod(a.year * 12 + a.month - 1 + months, 12)
    return date(y, m + 1, 1)


D = date

# (category, sentence, published_at, expected, note)
RECORDS: list[tuple[str, str, str, date, str]] = [
    # --- bare weekday, past or neutral clause -------------------------------------------
    (
        "weekday_past",
        "Russian forces launched 40 drones at Kharkiv on Wednesday, the regional governor said.",
        FRI,
        back(FRI, "Wednesday"),
        "past weekday",
    ),
    (
        "weekday_past",
        "The central bank cut its key rate by a quarter point on Tuesday.",
        FRI,
        back(FRI, "Tuesday"),
        "past weekday",
    ),
    (
        "weekday_past",
        "Protesters blocked the main highway into the capital on Monday night.",
        FRI,
        back(FRI, "Monday"),
        "weekday night",
    ),
    (
        "weekday_past",
        "Early Thursday, police raided the offices of two opposition newspapers.",
        FRI,
        back(FRI, "Thursday"),
        "early weekday",
    ),
    (
        "weekday_past",
        "Israeli jets struck targets in southern Lebanon late on Sunday, the army said.",
        WED,
        back(WED, "Sunday"),
        "late on weekday",
    ),
    (
        "weekday_past",
        "The two leaders spoke by phone on Saturday about the grain corridor.",
        WED,
        back(WED, "Saturday"),
        "past weekday",
    ),
    (
        "weekday_past",
        "Rebels seized a border crossing on Tuesday after two days of fighting.",
        WED,
        back(WED, "Tuesday"),
        "past weekday, day before",
    ),
    (
        "weekday_past",
        "The foreign ministry summoned the ambassador on Friday over the cyberattack.",
        MON,
        back(MON, "Friday"),
        "past weekday across weekend",
    ),
    (
        "weekday_past",
        "Voters in the northern provinces went to the polls on Sunday.",
        MON,
        back(MON, "Sunday"),
        "past weekday",
    ),
    (
        "weekday_past",
        "Election officials said on Saturday that turnout had reached 61 percent.",
        MON,
        back(MON, "Saturday"),
        "reporting verb weekday",
    ),
    (
        "weekday_past",
        "Tens of thousands marched through the city centre on Wednesday evening.",
        NOV,
        back(NOV, "Wednesday"),
        "same-day weekday, past",
    ),
    (
        "weekday_past",
        "The prime minister told parliament on Monday that the budget would be balanced.",
        NOV,
        back(NOV, "Monday"),
        "reporting verb weekday, future complement without date",
    ),
    (
        "weekday_past",
        "A car bomb exploded near a police station in the city on Thursday, killing four people.",
        SUN,
        back(SUN, "Thursday"),
        "past weekday",
    ),
    (
        "weekday_past",
        "Firefighters have been battling the blaze since Friday.",
        SUN,
        back(SUN, "Friday"),
        "since weekday",
    ),
    (
        "weekday_past",
        "The ceasefire, agreed on Tuesday, was broken within hours.",
        SUN,
        back(SUN, "Tuesday"),
        "participle clause",
    ),
    (
        "weekday_past",
        "In the early hours of Saturday, a missile hit an apartment block in the port city.",
        SUN,
        back(SUN, "Saturday"),
        "early hours of weekday",
    ),
    (
        "weekday_past",
        "Monday's talks ended without agreement on prisoner exchanges.",
        WED,
        back(WED, "Monday"),
        "possessive weekday",
    ),
    (
        "weekday_past",
        "The army said on Sunday it had repelled an attack on a base near the border.",
        SUN,
        anchor(SUN),
        "same-day weekday, reporting",
    ),
    # --- same weekday as the publication date ------------------------------------------
    (
        "weekday_same_day",
        "The minister resigned on Friday after a week of pressure over the contracts scandal.",
        FRI,
        anchor(FRI),
        "same weekday, past tense",
    ),
    (
        "weekday_same_day",
        "Iran fired a barrage of missiles at Israel on Friday night.",
        FRI,
        anchor(FRI),
        "same weekday night",
    ),
    (
        "weekday_same_day",
        "Union leaders will meet the transport minister on Friday evening.",
        FRI,
        anchor(FRI),
        "same weekday, future tense",
    ),
    (
        "weekday_same_day",
        "The court is due to rule on the appeal on Wednesday afternoon.",
        WED,
        anchor(WED),
        "same weekday, due to",
    ),
    (
        "weekday_same_day",
        "Police said on Monday that three suspects had been arrested.",
        MON,
        anchor(MON),
        "same weekday reporting",
    ),
    (
        "weekday_same_day",
        "Officials are expected to announce the results on Monday.",
        MON,
        anchor(MON),
        "same weekday, expected to",
    ),
    (
        "weekday_same_day",
        "Troops opened fire on demonstrators in the capital on Sunday.",
        SUN,
        anchor(SUN),
        "same weekday past",
    ),
    # --- bare weekday, future clause ---------------------------------------------------
    (
        "weekday_future",
        "The foreign ministers will meet in Geneva on Monday to discuss the truce.",
        FRI,
        ahead(FRI, "Monday"),
        "will + weekday",
    ),
    (
        "weekday_future",
        "Negotiators are due to resume talks on Tuesday.",
        FRI,
        ahead(FRI, "Tuesday"),
        "due to + weekday",
    ),
    (
        "weekday_future",
        "The president is set to sign the bill on Thursday.",
        MON,
        ahead(MON, "Thursday"),
        "set to + weekday",
    ),
    (
        "weekday_future",
        "Parliament is scheduled to vote on the budget on Wednesday.",
        MON,
        ahead(MON, "Wednesday"),
        "scheduled to",
    ),
    ("weekday_future", "Opposition parties plan to hold a rally on Saturday.", WED, ahead(WED, "Saturday"), "plan to"),
    (
        "weekday_future",
        "The summit opens in Brussels on Thursday.",
        WED,
        ahead(WED, "Thursday"),
        "present-tense schedule verb",
    ),
    (
        "weekday_future",
        "We'll decide on Sunday whether to extend the strike, the union's leader said.",
        WED,
        ahead(WED, "Sunday"),
        "'ll + weekday",
    ),
    (
        "weekday_future",
        "The prime minister is to visit the flooded region on Tuesday.",
        SUN,
        ahead(SUN, "Tuesday"),
        "be to + infinitive",
    ),
    (
        "weekday_future",
        "Doctors will go on strike on Monday unless the government raises pay.",
        SUN,
        ahead(SUN, "Monday"),
        "will, conditional",
    ),
    (
        "weekday_future",
        "The minister said talks would resume on Monday.",
        FRI,
        ahead(FRI, "Monday"),
        "would (reported future)",
    ),
    ("weekday_future", "The envoy is expected to arrive in Kyiv on Friday.", NOV, ahead(NOV, "Friday"), "expected to"),
    (
        "weekday_future",
        "Both sides are meeting again on Thursday, a spokesman said.",
        NOV,
        ahead(NOV, "Thursday"),
        "present progressive as future",
    ),
    (
        "weekday_future",
        "The election commission will publish final results on Saturday.",
        JAN2,
        ahead(JAN2, "Saturday"),
        "will, year start",
    ),
    (
        "weekday_future",
        "Farmers are going to block the ports again on Wednesday.",
        MAR1,
        ahead(MAR1, "Wednesday"),
        "going to, crosses into March",
    ),
    (
        "weekday_future",
        "The deadline for the armed groups to hand over their weapons is Monday.",
        FRI,
        ahead(FRI, "Monday"),
        "present copula schedule",
    ),
    ("weekday_future", "Results of the recount are due on Wednesday.", MON, ahead(MON, "Wednesday"), "be due on"),
    (
        "weekday_past",
        "The journalist has been held without charge since Tuesday.",
        MON,
        back(MON, "Tuesday"),
        "since + weekday, perfect",
    ),
    ("explicit", "He has been detained since May 30.", FRI, D(2025, 5, 30), "since + yearless date"),
    (
        "weekday_past",
        "The protest on Saturday was the largest since March, organisers said.",
        MON,
        back(MON, "Saturday"),
        "weekday on a noun, past",
    ),
    (
        "weekday_past",
        "The protest on Saturday is the largest since March.",
        WED,
        back(WED, "Saturday"),
        "weekday on a noun, present copula: not a schedule",
    ),
    # --- last / next / this weekday ----------------------------------------------------
    (
        "weekday_modified",
        "The general was dismissed last Friday.",
        FRI,
        back(FRI, "Friday", strict=True),
        "last + same weekday",
    ),
    (
        "weekday_modified",
        "The two armies clashed last Tuesday near the disputed pass.",
        FRI,
        back(FRI, "Tuesday", strict=True),
        "last weekday",
    ),
    (
        "weekday_modified",
        "The cabinet will discuss the plan next Friday.",
        FRI,
        ahead(FRI, "Friday", strict=True),
        "next + same weekday",
    ),
    (
        "weekday_modified",
        "A new round of talks begins next Monday in Doha.",
        WED,
        ahead(WED, "Monday", strict=True),
        "next weekday",
    ),
    (
        "weekday_modified",
        "Lawmakers will vote this Friday on the emergency package.",
        WED,
        ahead(WED, "Friday"),
        "this weekday",
    ),
    (
        "weekday_modified",
        "The strike that began last Sunday has shut most of the country's ports.",
        SUN,
        back(SUN, "Sunday", strict=True),
        "last + same weekday on Sunday",
    ),
    (
        "weekday_modified",
        "Officials said last Thursday that the dam was safe.",
        JAN2,
        back(JAN2, "Thursday", strict=True),
        "last weekday across year",
    ),
    # --- day words ---------------------------------------------------------------------
    (
        "relative_day",
        "Gunmen killed six people at a market in the north yesterday, police said.",
        FRI,
        shift(FRI, -1),
        "yesterday",
    ),
    ("relative_day", "The health ministry reported 312 new cases today.", FRI, anchor(FRI), "today"),
    ("relative_day", "The president will address the nation tonight.", WED, anchor(WED), "tonight"),
    (
        "relative_day",
        "Air defences shot down 30 drones over the capital overnight, the military said.",
        MON,
        anchor(MON),
        "overnight = the publication day",
    ),
    ("relative_day", "Heavy shelling hit the eastern suburbs last night.", MON, shift(MON, -1), "last night"),
    ("relative_day", "The defence minister arrived in Warsaw this morning.", WED, anchor(WED), "this morning"),
    (
        "relative_day",
        "Rescuers pulled two survivors from the rubble this afternoon.",
        NOV,
        anchor(NOV),
        "this afternoon",
    ),
    (
        "relative_day",
        "The opposition leader was detained the day before yesterday, his lawyer said.",
        NOV,
        shift(NOV, -2),
        "day before yesterday",
    ),
    ("relative_day", "The ship was seized by armed men three days ago.", SUN, shift(SUN, -3), "N days ago (word)"),
    ("relative_day", "The vote was held 10 days ago.", SUN, shift(SUN, -10), "N days ago (digits)"),
    ("relative_day", "The border was closed a week ago.", WED, shift(WED, -7), "a week ago"),
    (
        "relative_day",
        "Yesterday, the army said it had killed a senior commander.",
        JAN2,
        shift(JAN2, -1),
        "yesterday at start",
    ),
    (
        "relative_day",
        "The finance minister said earlier today that the deficit would narrow.",
        JAN2,
        anchor(JAN2),
        "earlier today",
    ),
    (
        "relative_day",
        "Protesters clashed with police yesterday in the southern port.",
        MAR1,
        shift(MAR1, -1),
        "yesterday across month (Feb 28)",
    ),
    ("relative_day", "The spokesman is to brief reporters later today.", MAR1, anchor(MAR1), "later today"),
    ("relative_day", "The leaders held a second call this evening.", SUN, anchor(SUN), "this evening"),
    (
        "relative_day",
        "Two days ago, an airstrike destroyed the last functioning hospital in the town.",
        JAN2,
        shift(JAN2, -2),
        "two days ago across year",
    ),
    (
        "relative_day",
        "The body of the missing journalist was found yesterday morning.",
        MON,
        shift(MON, -1),
        "yesterday morning",
    ),
    # --- week and month expressions ----------------------------------------------------
    (
        "relative_period",
        "Thousands of people fled the fighting last week.",
        FRI,
        monday(FRI, -1),
        "last week = Monday of previous week",
    ),
    (
        "relative_period",
        "The government imposed a curfew earlier this week.",
        FRI,
        monday(FRI),
        "earlier this week = Monday of this week",
    ),
    (
        "relative_period",
        "The central bank raised rates earlier this month.",
        FRI,
        first(FRI),
        "earlier this month = 1st",
    ),
    (
        "relative_period",
        "The two sides exchanged prisoners last month.",
        FRI,
        first(FRI, -1),
        "last month = 1st of previous month",
    ),
    (
        "relative_period",
        "Talks will resume next week in Istanbul.",
        WED,
        monday(WED, 1),
        "next week = Monday of next week",
    ),
    (
        "relative_period",
        "The regulator will publish its findings later this week.",
        MON,
        monday(MON),
        "later this week = Monday of this week",
    ),
    (
        "relative_period",
        "Rebels captured the airport last week, a United Nations report said.",
        JAN2,
        monday(JAN2, -1),
        "last week across year",
    ),
    (
        "relative_period",
        "The ministry said last month that exports had fallen.",
        JAN2,
        first(JAN2, -1),
        "last month across year",
    ),
    (
        "relative_period",
        "Prices rose sharply earlier this month, the statistics office said.",
        NOV,
        first(NOV),
        "earlier this month",
    ),
    (
        "relative_period",
        "Troops began withdrawing from the buffer zone this week.",
        SUN,
        monday(SUN),
        "this week on a Sunday",
    ),
    ("relative_period", "The new sanctions take effect next month.", NOV, first(NOV, 1), "next month"),
    (
        "relative_period",
        "Inflation eased last month for the first time in a year.",
        MAR1,
        first(MAR1, -1),
        "last month = February",
    ),
    # --- explicit dates ----------------------------------------------------------------
    ("explicit", "The treaty was signed on March 3, 2020, in Doha.", FRI, D(2020, 3, 3), "month day, year"),
    ("explicit", "The election was held on 7 May 2025.", FRI, D(2025, 5, 7), "day month year"),
    ("explicit", "Fighting broke out on May 7th near the border.", FRI, D(2025, 5, 7), "ordinal, no year, past"),
    ("explicit", "Troops entered the town on June 10.", FRI, D(2025, 6, 10), "no year, past, same month"),
    ("explicit", "The ministry confirmed the figures on 13/06/2025.", FRI, D(2025, 6, 13), "d/m/y unambiguous"),
    (
        "explicit",
        "The decree, dated 2025-06-12, was published on the government website.",
        FRI,
        D(2025, 6, 12),
        "ISO date",
    ),
    ("explicit", "The referendum will take place on September 21.", FRI, D(2025, 9, 21), "no year, future"),
    ("explicit", "The court will hear the case on July 2.", FRI, D(2025, 7, 2), "no year, future, next month"),
    (
        "explicit",
        "The accord signed on June 20 collapsed within days.",
        FRI,
        D(2024, 6, 20),
        "no year, past, after anchor day -> last year",
    ),
    (
        "explicit",
        "Voting ended on the 8th of June with a turnout of 48 percent.",
        FRI,
        D(2025, 6, 8),
        "the Nth of Month",
    ),
    (
        "explicit",
        "The strike began on Sept. 3 and has spread to four provinces.",
        NOV,
        D(2025, 9, 3),
        "abbreviated month",
    ),
    ("explicit", "The hearing is scheduled for Dec. 9.", NOV, D(2025, 12, 9), "future, abbreviated"),
    ("explicit", "The minister visited the region on 4 November.", NOV, D(2025, 11, 4), "day month no year"),
    (
        "explicit",
        "Exports fell 4 percent in the year to October 31, 2025, the agency said.",
        NOV,
        D(2025, 10, 31),
        "month day year",
    ),
    ("explicit", "The plane crashed on 11/28/2024 shortly after take-off.", NOV, D(2024, 11, 28), "m/d/y unambiguous"),
    (
        "explicit",
        "The agreement was signed in Cairo on Thursday, 30 October.",
        NOV,
        D(2025, 10, 30),
        "weekday with date",
    ),
    (
        "explicit",
        "Talks collapsed on Aug. 1, the negotiators said on Sunday.",
        SUN,
        D(2025, 8, 1),
        "explicit date beats reporting weekday",
    ),
    ("explicit", "The June 5 attack killed 12 soldiers.", SUN, D(2025, 6, 5), "attributive date, neutral"),
    ("explicit", "Polls open on August 24.", SUN, D(2025, 8, 24), "present schedule verb, future"),
    ("explicit", "The report covers the period up to 31 July 2025.", SUN, D(2025, 7, 31), "day month year"),
    ("explicit", "Parliament approved the law on 2 June.", MON, D(2025, 6, 2), "day month, past"),
    (
        "explicit",
        "The blockade began on May 1 and was lifted on June 15.",
        MON,
        D(2025, 5, 1),
        "two dates: first is the event",
    ),
    # --- month and year boundaries -----------------------------------------------------
    (
        "boundary",
        "The militants attacked a checkpoint on December 30.",
        JAN2,
        D(2024, 12, 30),
        "January article, December date",
    ),
    (
        "boundary",
        "Fireworks were banned in the capital on 31 December.",
        JAN2,
        D(2024, 12, 31),
        "January article, 31 December",
    ),
    ("boundary", "The new coalition was sworn in on January 1.", JAN2, D(2025, 1, 1), "this year, day before"),
    ("boundary", "The president will travel to India on January 15.", JAN2, D(2025, 1, 15), "future in same month"),
    (
        "boundary",
        "The cabinet met on Tuesday to discuss the fuel crisis.",
        JAN2,
        D(2024, 12, 31),
        "weekday across year",
    ),
    ("boundary", "A storm hit the coast on Monday night.", MAR1, D(2025, 2, 24), "weekday across month"),
    ("boundary", "Prices were frozen on February 28.", MAR1, D(2025, 2, 28), "last day of February"),
    ("boundary", "Parliament reconvenes on March 10.", MAR1, D(2025, 3, 10), "future, present schedule verb"),
    ("boundary", "The government announced the measures on Thursday.", MAR1, D(2025, 2, 27), "weekday across month"),
    (
        "boundary",
        "Rebels shelled the airport on 29 November.",
        D(2025, 12, 2).isoformat() + "T08:00:00+00:00",
        D(2025, 11, 29),
        "December article, November date",
    ),
    (
        "boundary",
        "The government will present its budget on January 8.",
        "2025-12-18T09:00:00+00:00",
        D(2026, 1, 8),
        "December article, future January date",
    ),
    (
        "boundary",
        "Markets reopen on Monday after the holiday.",
        "2025-12-27T11:00:00+00:00",
        D(2025, 12, 29),
        "future weekday, Saturday anchor",
    ),
    (
        "boundary",
        "The embassy was attacked on Jan. 30, officials said.",
        "2025-02-02T10:00:00+00:00",
        D(2025, 1, 30),
        "past explicit across month",
    ),
    # --- time zones --------------------------------------------------------------------
    (
        "timezone",
        "Air raid sirens sounded across the city yesterday.",
        TZ_EAST,
        D(2025, 6, 13),
        "00:30 +03:00 Saturday: yesterday = Friday",
    ),
    (
        "timezone",
        "The ministry said today that the strikes would continue.",
        TZ_EAST,
        D(2025, 6, 14),
        "local date, not UTC date",
    ),
    ("timezone", "Missiles struck the capital on Friday night.", TZ_EAST, D(2025, 6, 13), "Friday from Saturday local"),
    (
        "timezone",
        "Rescue teams reached the village overnight.",
        TZ_EAST,
        D(2025, 6, 14),
        "overnight = local publication day",
    ),
    (
        "timezone",
        "The governor imposed a state of emergency.",
        TZ_EAST,
        D(2025, 6, 14),
        "no date: local publication date",
    ),
    (
        "timezone",
        "The minister resigned yesterday.",
        TZ_WEST,
        D(2024, 12, 30),
        "23:30 -08:00 Tuesday: already 1 January in UTC",
    ),
    ("timezone", "Police cleared the square on Tuesday.", TZ_WEST, D(2024, 12, 31), "same weekday local"),
    ("timezone", "Talks will resume on Thursday.", TZ_WEST, D(2025, 1, 2), "future weekday across year"),
    (
        "timezone",
        "The finance ministry said the deficit narrowed this year.",
        TZ_WEST,
        D(2024, 12, 31),
        "no day expression",
    ),
    (
        "timezone",
        "The talks ended on Saturday, a day later than planned.",
        "2025-06-16T02:00:00+09:00",
        D(2025, 6, 14),
        "Monday in Tokyo, Sunday UTC",
    ),
    (
        "timezone",
        "An earthquake struck the region last night.",
        "2025-06-16T02:00:00+09:00",
        D(2025, 6, 15),
        "last night from Monday local",
    ),
    # --- no date expression ------------------------------------------------------------
    ("no_date", "The United Nations called for an immediate ceasefire.", FRI, anchor(FRI), "no date"),
    (
        "no_date",
        "Government troops shelled rebel positions near the airport, residents said.",
        WED,
        anchor(WED),
        "no date",
    ),
    ("no_date", "The European Union imposed sanctions on 12 officials.", MON, anchor(MON), "no date"),
    (
        "no_date",
        "Protesters in May Square demanded the release of political prisoners.",
        FRI,
        anchor(FRI),
        "'May' as a name, no day",
    ),
    (
        "no_date",
        "The president may meet the rebel leaders in March, aides said.",
        NOV,
        anchor(NOV),
        "modal 'may', month without a day",
    ),
    ("no_date", "Police fired tear gas at students outside the parliament building.", JAN2, anchor(JAN2), "no date"),
    (
        "no_date",
        "The ministry said 2,000 people had been evacuated from 14 villages.",
        MAR1,
        anchor(MAR1),
        "numbers that are not dates",
    ),
    ("no_date", "The 1998 accord ended three decades of conflict, the envoy said.", SUN, anchor(SUN), "year only"),
    ("no_date", "China and India agreed to reopen border trade.", TZ_EAST, D(2025, 6, 14), "no date, local day"),
    (
        "no_date",
        "Sunday Times reporters were barred from the press conference.",
        WED,
        anchor(WED),
        "weekday inside a name",
    ),
    # --- several dates -----------------------------------------------------------------
    (
        "multiple",
        "The ministry said on Friday that strikes had hit the refinery on Wednesday.",
        FRI,
        back(FRI, "Wednesday"),
        "reported event date beats reporting date",
    ),
    (
        "multiple",
        "Police said on Monday that the suspect was arrested on Saturday.",
        MON,
        back(MON, "Saturday"),
        "reported event date",
    ),
    (
        "multiple",
        "The army said today that its jets bombed the depot yesterday.",
        WED,
        shift(WED, -1),
        "yesterday beats today of reporting",
    ),
    (
        "multiple",
        "Officials confirmed on Tuesday that the vote would go ahead on June 29.",
        FRI,
        D(2025, 6, 29),
        "future explicit in reported clause",
    ),
    (
        "multiple",
        "The rebels attacked on Thursday, the government said on Friday.",
        FRI,
        back(FRI, "Thursday"),
        "event first, reporting last",
    ),
]


def main() -> None:
    seen: set[tuple[str, str]] = set()
    lines: list[str] = []
    counts: dict[str, int] = {}
    for category, sentence, published, expected, note in RECORDS:
        assert (sentence, published) not in seen, sentence
        seen.add((sentence, published))
        counts[category] = counts.get(category, 0) + 1
        record = {
            "id": f"ds-{len(lines) + 1:03d}",
            "category": category,
            "sentence": sentence,
            "published_at": published,
            "expected_date": expected.isoformat(),
            "note": note,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} records → {OUT.name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()

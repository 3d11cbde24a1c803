"""Part 2, the money and the workflows: accounts, experts, programmes and the story of each application,
written through the same services as the pages."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django_otp.plugins.otp_totp.models import TOTPDevice

from diagnostics.models import TechnologyTheme
from experts import services as experts_services
from experts.models import Accreditation, Expert
from portal.models import Company, NafCode, Region, RegionOfficer, User
from portal.security import secret_for_humans
from regions import services
from regions.models import Enrolment, Programme
from seeding import peer_companies as peers
from seeding.national.data_set import (
    CAPS,
    ENROLMENT_SHARE,
    EXPERT_PER_ENROLMENT,
    FATES,
    MAX_APPLICANTS_PER_PROGRAMME,
    MOTIVATIONS,
    ORGANISATIONS,
    PROGRAMME_KINDS,
    STAFF_EMAIL,
    VISIT_DAYS,
    Login,
    expert_email,
    officer_email,
)


def seed_accounts(rng, password_hash):
    """The staff user and one officer per region, each with a confirmed authenticator of a known key."""
    logins = []
    staff = User.objects.create(
        email=STAFF_EMAIL, first_name="Alex", last_name="Durand", is_staff=True, password=password_hash
    )
    device = TOTPDevice.objects.create(user=staff, name="National seed", confirmed=True, key=rng.randbytes(20).hex())
    logins.append(Login("Alliance staff", staff.email, totp_key=secret_for_humans(device)))
    officers = {}
    for region in Region.objects.order_by("code"):
        user = User.objects.create(
            email=officer_email(region.code),
            first_name=rng.choice(peers.FIRST_NAMES),
            last_name=rng.choice(peers.SURNAMES),
            password=password_hash,
        )
        RegionOfficer.objects.create(user=user, region=region)
        device = TOTPDevice.objects.create(user=user, name="National seed", confirmed=True, key=rng.randbytes(20).hex())
        officers[region.code] = user
        logins.append(Login(f"Regional officer ({region.label_fr})", user.email, totp_key=secret_for_humans(device)))
    return staff, officers, logins


# --- part 2: experts, programmes, enrolments, through the services ---------------------------------


def seed_experts(rng, content, *, count, staff, password_hash, today):
    """`count` experts across the regions (at least two in each), ~90 % referenced."""
    regions = {region.code: region for region in Region.objects.all()}
    codes = sorted(regions)
    weights = [peers.REGION_WEIGHTS.get(code, 0.1) for code in codes]
    axis_codes = [axis.code for axis in content.axes]
    theme_ids = list(TechnologyTheme.objects.order_by("pk").values_list("pk", flat=True))
    experts = []
    for index in range(1, count + 1):
        home = codes[(index - 1) % len(codes)] if index <= 2 * len(codes) else rng.choices(codes, weights)[0]
        served = {home} | set(rng.choices(codes, weights, k=rng.choice([0, 0, 1, 2])))
        organisation = f"{rng.choice(ORGANISATIONS)} {rng.choice(peers.SURNAMES)}"
        expert = experts_services.register_expert(
            email=expert_email(index),
            first_name=rng.choice(peers.FIRST_NAMES),
            last_name=rng.choice(peers.SURNAMES),
            organisation=organisation,
            by=staff,
        )
        skills = rng.sample(axis_codes, rng.randint(1, 3))
        themes = rng.sample(theme_ids, min(len(theme_ids), rng.randint(0, 3)))
        experts_services.update_profile(
            expert=expert,
            by=expert.user,
            organisation=organisation,
            bio=f"{organisation} : accompagnement des PME industrielles.",
            regions=[regions[code] for code in sorted(served)],
            languages=["fr"] + rng.sample(["en", "de", "es", "it"], rng.choice([0, 1, 1, 2])),
            day_rate=Decimal(rng.randrange(600, 1450, 50)),
            capacity=rng.randint(2, 8),
            axis_skills={code: rng.randint(1, 3) for code in skills},
            theme_skills={pk: rng.randint(1, 3) for pk in themes},
        )
        experts_services.change_accreditation(
            expert=expert,
            by=staff,
            status=Accreditation.Status.REFERENCED,
            valid_until=today + timedelta(days=rng.randint(60, 1000)),
            comment="Référencement initial",
            notify=False,
        )
        draw = rng.random()
        if draw < 0.05:
            experts_services.change_accreditation(
                expert=expert, by=staff, status=Accreditation.Status.SUSPENDED, comment="Contrôle", notify=False
            )
        elif draw < 0.10:
            experts_services.change_accreditation(
                expert=expert, by=staff, status=Accreditation.Status.EXPIRED, comment="Non renouvelé", notify=False
            )
        else:
            experts.append(expert)
    User.objects.filter(expert_profile__isnull=False).update(password=password_hash)
    return experts


class ExpertPool:
    """Referenced experts by region served, with the places they have left (capacity − active)."""

    def __init__(self, experts):
        self.by_region = defaultdict(list)
        self.at_company = defaultdict(set)
        self.free = {}
        # Read back: the services wrote the profiles (day rate, capacity) on other instances.
        experts = list(
            Expert.objects.filter(pk__in=[expert.pk for expert in experts]).select_related("user").order_by("pk")
        )
        experts_by_pk = {expert.pk: expert for expert in experts}
        serving = Expert.regions.through.objects.filter(expert__in=experts).values_list("expert_id", "region__code")
        for expert_id, code in serving.order_by("expert_id", "region__code"):
            self.by_region[code].append(experts_by_pk[expert_id])
        for expert in experts:
            self.free[expert.pk] = expert.capacity

    def take(self, rng, region_code, company_id):
        """A referenced expert of the region with a free place, never one who already had a mission at
        the company (a company applies to several programmes of its region)."""
        been = self.at_company[company_id]
        candidates = [
            expert
            for expert in self.by_region.get(region_code, [])
            if self.free[expert.pk] > 0 and expert.pk not in been
        ]
        if not candidates:
            return None
        expert = rng.choice(candidates)
        self.free[expert.pk] -= 1
        been.add(expert.pk)
        return expert

    def give_back(self, expert):
        self.free[expert.pk] += 1


def _eligible(kind, facts):
    _name, bands, divisions, max_level, _requires = kind
    return (
        (not bands or facts.band in bands)
        and (not divisions or facts.division in divisions)
        and (max_level is None or facts.latest_overall <= max_level)
    )


def _round_down(amount, step=Decimal("500")):
    return (amount // step) * step


class Enroller:
    """Runs each application's story through the services, from the application to its final status."""

    def __init__(self, rng, *, officers, pool, axes, today, stats):
        self.rng, self.officers, self.pool, self.axes, self.today, self.stats = rng, officers, pool, axes, today, stats
        self.companies = {}
        self.owners = {}
        self.diagnostics = {}

    def _company(self, facts):
        company = self.companies.get(facts.pk)
        if company is None:
            company = Company.objects.select_related("naf_division__section").get(pk=facts.pk)
            self.companies[facts.pk] = company
        return company

    def _owner(self, facts):
        owner = self.owners.get(facts.owner_id)
        if owner is None:
            owner = self.owners[facts.owner_id] = User.objects.get(pk=facts.owner_id)
        return owner

    def run(self, programme, facts, *, fate, budget_left):
        """Returns the amount committed (Decimal zero when nothing stays committed)."""
        rng, officer = self.rng, self.officers[facts.region]
        cap = programme.cap_per_company
        requested = max(Decimal("2000"), _round_down(cap * Decimal(rng.uniform(0.5, 1.0))))
        enrolment = services.apply_to_programme(
            programme=programme,
            company=self._company(facts),
            requested_amount=requested,
            motivation=rng.choice(MOTIVATIONS),
            by=self._owner(facts),
        )
        self.stats["applications"] += 1
        if fate == "applied":
            return Decimal("0")
        if fate == "withdrawn" and rng.random() < 0.4:
            services.withdraw_enrolment(enrolment=enrolment, by=self._owner(facts), comment="Projet reporté.")
            return Decimal("0")
        enrolment = services.start_review(enrolment=enrolment, by=officer)
        if fate == "under_review":
            return Decimal("0")
        amount = min(requested, _round_down(budget_left))
        if fate == "refused" or amount < Decimal("2000"):
            services.refuse_enrolment(
                enrolment=enrolment,
                by=officer,
                reason="Budget du programme épuisé." if fate != "refused" else "Projet hors du champ du programme.",
            )
            return Decimal("0")
        enrolment = services.accept_enrolment(enrolment=enrolment, amount=amount, by=officer, comment="Dossier retenu.")
        if fate == "withdrawn":
            services.withdraw_enrolment(enrolment=enrolment, by=self._owner(facts), comment="Projet abandonné.")
            return Decimal("0")
        spent = self._support(enrolment, facts, fate=fate, officer=officer)
        if fate == "in_progress" and enrolment_status(enrolment) == Enrolment.Status.ACCEPTED:
            services.start_enrolment(enrolment=enrolment, by=officer)
        if fate == "completed":
            if enrolment_status(enrolment) == Enrolment.Status.ACCEPTED:
                services.start_enrolment(enrolment=enrolment, by=officer)
            services.complete_enrolment(enrolment=enrolment, by=officer, comment="Accompagnement terminé.")
            return spent
        return amount

    def _support(self, enrolment, facts, *, fate, officer):
        """An expert (sometimes), visits booked on the enrolment, other costs; returns what was spent."""
        rng = self.rng
        spent = Decimal("0")
        committed = enrolment.committed_amount
        expert = self.pool.take(rng, facts.region, facts.pk) if rng.random() < EXPERT_PER_ENROLMENT else None
        if expert is not None:
            assignment = services.propose_expert(
                enrolment=enrolment,
                expert=expert,
                by=officer,
                due_date=self.today + timedelta(days=rng.randint(30, 120)),
                brief="Valider l'autodiagnostic et prioriser le plan d'actions.",
            )
            self.stats["assignments"] += 1
            if fate == "accepted" or rng.random() < 0.06:
                if fate != "accepted":  # the expert declines: the officer will propose someone else
                    experts_services.decline_assignment(
                        assignment=assignment, by=expert.user, reason="Indisponible sur la période.", notify=False
                    )
                    self.pool.give_back(expert)
                elif rng.random() < 0.5:
                    experts_services.accept_assignment(assignment=assignment, by=expert.user, notify=False)
                return spent
            experts_services.accept_assignment(assignment=assignment, by=expert.user, notify=False)
            experts_services.start_assignment(assignment=assignment, by=expert.user, notify=False)
            for _visit in range(rng.randint(1, 3)):
                days = rng.choice(VISIT_DAYS)
                if days * expert.day_rate > committed - spent:
                    break
                visit = experts_services.log_visit(
                    assignment=assignment, by=expert.user, date=self.today, days=days, summary="Visite de l'atelier."
                )
                self.stats["visits"] += 1
                # What the visit_logged event's task does after commit, done here at once.
                if services.book_visit_cost(visit_id=visit.pk) is not None:
                    spent += visit.cost
            if fate == "completed":
                levels = {}
                for code in self.axes:
                    score = facts.latest_axes.get(code)
                    base = int(score) if score is not None else 2
                    levels[code] = min(5, max(0, base + rng.choice([-1, 0, 0, 1])))
                experts_services.submit_review(
                    assignment=assignment,
                    by=expert.user,
                    levels=levels,
                    summary="Diagnostic validé ; plan d'actions priorisé.",
                    notify=False,
                )
                self.pool.give_back(expert)
        if fate in ("in_progress", "completed") and rng.random() < 0.3:
            amount = min(committed - spent, _round_down(committed * Decimal("0.2"), Decimal("100")))
            if amount > 0:
                services.book_expense(
                    enrolment=enrolment,
                    kind="other",
                    amount=amount,
                    label="Formation des équipes",
                    incurred_on=self.today - timedelta(days=rng.randint(0, 30)),
                    by=self.officers[facts.region],
                )
                self.stats["other_expenses"] += 1
                spent += amount
        return spent


def enrolment_status(enrolment):
    return Enrolment.objects.filter(pk=enrolment.pk).values_list("status", flat=True).get()


def seed_programmes(rng, *, facts, officers, pool, axes, today, stats):
    """2-4 programmes per region, each with applications whose fates are spread over every status."""
    by_region = defaultdict(list)
    for company in facts:
        by_region[company.region].append(company)
    divisions = {naf.code: naf for naf in NafCode.objects.filter(level=NafCode.Level.DIVISION)}
    enroller = Enroller(rng, officers=officers, pool=pool, axes=axes, today=today, stats=stats)
    fates, fate_weights = list(FATES), list(FATES.values())
    for region in Region.objects.order_by("code"):
        officer = officers[region.code]
        companies = by_region.get(region.code, [])
        count = rng.randint(2, 4)
        kinds = [PROGRAMME_KINDS[0]] + rng.sample(PROGRAMME_KINDS[1:], count - 1)
        per_programme = min(
            MAX_APPLICANTS_PER_PROGRAMME, int(len(companies) * ENROLMENT_SHARE / count + Decimal("0.5"))
        )
        for number, kind in enumerate(kinds, start=1):
            name, bands, naf, max_level, requires = kind
            cap = rng.choice(CAPS)
            eligible = [company for company in companies if _eligible(kind, company)]
            applicants = rng.sample(eligible, min(len(eligible), max(per_programme, 1 if eligible else 0)))
            target = max(5, int(len(applicants) * 0.6))
            start = today - timedelta(days=rng.randint(60, 700))
            programme = services.create_programme(
                region=region,
                by=officer,
                budget=cap * target,
                name=f"{name} – {region.label_fr} {start.year}",
                description=f"Programme régional {name.lower()} : diagnostic, experts référencés et plan d'actions.",
                start_date=start,
                end_date=today + timedelta(days=rng.randint(30, 700)),
                tranches={today.year: cap * target},  # the decisions below are taken today: this year's tranche
                cap_per_company=cap,
                target_companies=target,
                eligible_headcount_bands=bands,
                eligible_naf_codes=[divisions[code] for code in naf],
                requires_submitted_diagnostic=requires,
                max_overall_level=max_level,
                status=Programme.Status.OPEN,
            )
            stats["programmes"] += 1
            budget_left = programme.budget
            for company in applicants:
                fate = rng.choices(fates, fate_weights)[0]
                budget_left -= enroller.run(programme, company, fate=fate, budget_left=budget_left)
            if number > 1 and rng.random() < 0.25:
                services.set_programme_status(programme=programme, status=Programme.Status.CLOSED, by=officer)

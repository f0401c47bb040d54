package domain

// The county boards' checklist for following up protected housing
// (länsstyrelsernas checklista, source 000), as a versioned template. A
// follow-up records the version it answered; a published version is
// never changed, a new version is added instead, so every stored answer
// keeps the question it was given to. The wording is ours, shortened
// where the source is long.

// ChecklistQuestion is one question of a checklist.
type ChecklistQuestion struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// ChecklistArea is one area of a checklist and its questions.
type ChecklistArea struct {
	ID        string              `json:"id"`
	Title     string              `json:"title"`
	Questions []ChecklistQuestion `json:"questions"`
}

// Checklist is one version of the template.
type Checklist struct {
	Version string          `json:"version"`
	Title   string          `json:"title"`
	Source  string          `json:"source"`
	Areas   []ChecklistArea `json:"areas"`
}

// Question finds a question by id.
func (c Checklist) Question(id string) (ChecklistQuestion, bool) {
	for _, a := range c.Areas {
		for _, q := range a.Questions {
			if q.ID == id {
				return q, true
			}
		}
	}
	return ChecklistQuestion{}, false
}

// CurrentChecklistVersion is the version GET /providers/checklist serves.
const CurrentChecklistVersion = "2026.1"

// ChecklistVersion returns a published version of the template.
func ChecklistVersion(version string) (Checklist, bool) {
	switch version {
	case "2026.1":
		return checklist2026_1(), true
	}
	return Checklist{}, false
}

// CurrentChecklist is the template in its current version.
func CurrentChecklist() Checklist {
	c, _ := ChecklistVersion(CurrentChecklistVersion)
	return c
}

func area(id, title string, qs ...string) ChecklistArea {
	a := ChecklistArea{ID: id, Title: title}
	for i := 0; i+1 < len(qs); i += 2 {
		a.Questions = append(a.Questions, ChecklistQuestion{ID: id + "." + qs[i], Text: qs[i+1]})
	}
	return a
}

// checklist2026_1 is version 2026.1. Never edit it once published: add
// a new version.
func checklist2026_1() Checklist {
	return Checklist{
		Version: "2026.1",
		Title:   "Uppföljning av skyddat boende",
		Source:  "Länsstyrelsernas checklista för uppföljning av skyddat boende",
		Areas: []ChecklistArea{
			area("basic", "Basfakta om boendet",
				"operation", "Är driftsform och antal platser för vuxna och medföljande barn kända och aktuella?",
				"premises", "Framgår hur lokalerna är utformade (kollektivt boende, friliggande lägenheter)?",
				"target_group", "Vänder sig verksamheten till någon särskild målgrupp, och är den känd för kommunen?",
				"children", "Kan boendet ta emot medföljande barn, och framgår vilka åldrar och kön?",
				"pets", "Kan boendet ta emot medföljande djur, och vilka?",
				"allergy", "Finns förutsättningar att ta emot personer med allergi?"),
			area("support", "Råd och stöd",
				"advice", "Erbjuds råd och vägledning?",
				"talks", "Erbjuds planlagda stödsamtal?",
				"authorities", "Ges stöd i kontakten med myndigheter och vårdgivare?",
				"court", "Erbjuds stödperson eller assistans vid rättegång och förhör?",
				"activities", "Arrangeras aktiviteter för de boende?"),
			area("safety", "Trygghet och säkerhet",
				"staff_day", "Finns personal tillgänglig vardagar dagtid?",
				"staff_evening", "Finns personal tillgänglig vardagar kvällstid?",
				"staff_night", "Finns personal tillgänglig nattetid?",
				"staff_weekend", "Finns personal tillgänglig helger?",
				"plan_adult_in", "Finns skriftliga rutiner för säkerhetsplanering med vuxna vid inflyttning?",
				"plan_adult_out", "Finns skriftliga rutiner för säkerhetsplanering med vuxna vid utflyttning?",
				"plan_child_in", "Finns skriftliga rutiner för säkerhetsplanering med medföljande barn vid inflyttning?",
				"plan_child_out", "Finns skriftliga rutiner för säkerhetsplanering med medföljande barn vid utflyttning?",
				"physical", "Finns fysiska skydd (säkerhetsdörr, larm, kamerabevakning, säkerhetsfönster, hemlig adress)?",
				"fire", "Har brandskyddet kontrollerats?",
				"phones", "Finns rutiner för mobiltelefoner, internet och sociala medier?",
				"threats_residents", "Finns skriftliga rutiner för hot och risker mot de boende?",
				"threats_staff", "Finns skriftliga rutiner för hot och risker mot personal och volontärer?"),
			area("routines", "Rutiner: skyddade personuppgifter, sekretess, dokumentation, orosanmälan, lex Sarah",
				"protected_data", "Säkerställer boendet att skyddade personuppgifter inte når obehöriga?",
				"secrecy", "Känner all personal och alla volontärer till reglerna om sekretess respektive tystnadsplikt?",
				"implementation_plan", "Görs en genomförandeplan tillsammans med varje boende?",
				"documentation", "Dokumenteras genomförda insatser för varje boende?",
				"report_of_concern", "Kan personal och volontärer fullgöra anmälningsskyldigheten när ett barn kan fara illa?",
				"lex_sarah_report", "Finns skriftliga rutiner för att rapportera, utreda och avhjälpa missförhållanden (lex Sarah)?",
				"lex_sarah_notify", "Finns skriftliga rutiner för att anmäla allvarliga missförhållanden till IVO?"),
			area("accessibility", "Tillgänglighet",
				"intake_hours", "Framgår när på dygnet och året nya skyddssökande kan tas emot?",
				"wheelchair", "Är entré, rum, toalett, dusch, kök och gemensamma utrymmen tillgängliga med rullstol?",
				"vision", "Är boendet anpassat för personer med synnedsättning?",
				"hearing", "Är boendet anpassat för personer med hörselnedsättning?",
				"languages", "Framgår vilka språk personal och volontärer talar, och när?",
				"interpreter", "Används tolk eller teckentolk när den skyddssökande behöver det?",
				"own_room", "Har de boende eget rum (barn kan bo med sin förälder)?",
				"privacy", "Finns låsbara toaletter och duschrum, kök för egen matlagning och gemensamma utrymmen?"),
			area("knowledge", "Kunskapsbaserad verksamhet: metoder, uppföljning, kompetens",
				"methods", "Finns kunskap om och används standardiserade bedömningsmetoder?",
				"surveys", "Följs de boendes uppfattning om boendet systematiskt upp och dokumenteras?",
				"manager_training", "Har föreståndaren lämplig utbildning?",
				"staff_training", "Har övrig personal lämplig utbildning och erfarenhet av socialt arbete?",
				"training_violence", "Har personal och volontärer fått fortbildning om våld i nära relationer det senaste året?",
				"training_children", "Har personal och volontärer fått fortbildning om barn som upplevt våld det senaste året?",
				"special_competence", "Finns särskild kompetens för funktionsnedsättning, hbtq, nationella minoriteter, utländsk bakgrund, missbruk, hedersrelaterat våld, prostitution och människohandel?"),
			area("cooperation", "Helhetssyn, samordning och kontinuitet",
				"cases", "Fungerar samverkan med socialtjänsten i enskilda ärenden?",
				"move_out", "Planeras flytten från boendet tillsammans med socialtjänsten, och fungerar det?"),
			area("children", "Barn",
				"needs", "Har personalen kunskap om barns behov?",
				"play", "Finns utrymme för lek och sysselsättning för yngre barn och för tonåringar?",
				"school", "Kan barnen delta i förskola eller skola?",
				"crisis", "Finns krisstöd och känslomässigt stöd för barn?",
				"parenting", "Kan föräldern få stöd i sitt föräldraskap?"),
			area("improvement", "Systematiskt förbättringsarbete",
				"risk_analysis", "Har verksamheten gjort riskanalyser?",
				"self_check", "Görs egenkontroller av att rutinerna följs?",
				"complaints", "Utreds rapporter, klagomål och synpunkter?",
				"actions", "Genomförs eller planeras förbättrande åtgärder och ändrade rutiner?"),
		},
	}
}

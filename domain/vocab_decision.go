package domain

// CommunicationChannel is how a decision reached the person (underrättelse
// om beslut, FL 33 §).
type CommunicationChannel string

const (
	DeliveredByLetter  CommunicationChannel = "letter"    // brev
	DeliveredInPerson  CommunicationChannel = "in_person" // vid personligt möte
	DeliveredDigitally CommunicationChannel = "digital"   // digitalt
)

var communicationChannels = newVocabulary[CommunicationChannel](
	DeliveredByLetter, "Brev",
	DeliveredInPerson, "Personligt möte",
	DeliveredDigitally, "Digitalt",
)

func (c CommunicationChannel) Valid() bool          { return communicationChannels.valid(c) }
func (c CommunicationChannel) Label() string        { return communicationChannels.label(c) }
func CommunicationChannels() []CommunicationChannel { return communicationChannels.values() }

// AppealRuling is the administrative court's ruling on an appeal (dom).
type AppealRuling string

const (
	RulingUpheld    AppealRuling = "upheld"    // avslag på överklagandet: beslutet står fast
	RulingChanged   AppealRuling = "changed"   // bifall: rätten ändrar beslutet
	RulingReturned  AppealRuling = "returned"  // återförvisat: nämnden beslutar på nytt
	RulingDismissed AppealRuling = "dismissed" // avvisat eller avskrivet av rätten
)

var appealRulings = newVocabulary[AppealRuling](
	RulingUpheld, "Beslutet står fast",
	RulingChanged, "Ändrat av domstolen",
	RulingReturned, "Återförvisat",
	RulingDismissed, "Avvisat av domstolen",
)

func (r AppealRuling) Valid() bool   { return appealRulings.valid(r) }
func (r AppealRuling) Label() string { return appealRulings.label(r) }
func AppealRulings() []AppealRuling  { return appealRulings.values() }

// DelayReason is why a granted decision is not carried out yet (to IVO).
type DelayReason string

const (
	DelayNoPlace     DelayReason = "no_place_available" // plats saknas
	DelayDeclined    DelayReason = "declined_by_person" // den enskilde har tackat nej
	DelayUnreachable DelayReason = "person_unreachable" // den enskilde går inte att nå
	DelayOther       DelayReason = "other"
)

var delayReasons = newVocabulary[DelayReason](
	DelayNoPlace, "Plats saknas",
	DelayDeclined, "Den enskilde har tackat nej",
	DelayUnreachable, "Den enskilde går inte att nå",
	DelayOther, "Annat skäl",
)

func (r DelayReason) Valid() bool   { return delayReasons.valid(r) }
func (r DelayReason) Label() string { return delayReasons.label(r) }
func DelayReasons() []DelayReason   { return delayReasons.values() }

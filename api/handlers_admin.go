package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/labstack/echo/v4"
)

// unitsResponse is GET /admin/units.
type unitsResponse struct {
	Units   []domain.Unit `json:"units"`
	Version uint64        `json:"version"`
}

// settingsResponse is GET /admin/settings.
type settingsResponse struct {
	domain.SettingValues
	Version uint64 `json:"version"`
}

func (s *Server) getUnits(c echo.Context, _ auth.Principal) error {
	st, err := s.store.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	setETag(c, st.Version)
	return c.JSON(http.StatusOK, unitsResponse{Units: st.UnitList(), Version: st.Version})
}

func (s *Server) putUnit(c echo.Context, p auth.Principal) error {
	var cmd domain.SetUnit
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	// The path's unit is validated with the body (never echoed): a unit is
	// an id, so "=HYPERLINK(...)" or "a b" is refused, not registered.
	cmd.Unit = c.Param("unit")
	if err := cmd.Validate(); err != nil {
		return err
	}
	res, err := s.settingsWrite(c, p, cmd)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, res, nil)
}

func (s *Server) getSettings(c echo.Context, _ auth.Principal) error {
	st, err := s.store.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	setETag(c, st.Version)
	return c.JSON(http.StatusOK, settingsResponse{SettingValues: st.Values, Version: st.Version})
}

func (s *Server) putSettings(c echo.Context, p auth.Principal) error {
	var v domain.SettingValues
	if err := decodeBody(c, &v); err != nil {
		return err
	}
	res, err := s.settingsWrite(c, p, domain.ChangeSettings{SettingValues: v})
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, res, nil)
}

// settingsWrite runs one command on the settings aggregate (If-Match is
// its version; an unchanged value records nothing).
func (s *Server) settingsWrite(c echo.Context, p auth.Principal, cmd domain.Command) (eventstore.Result, error) {
	opt, err := s.writeOptions(c, p, "settings")
	if err != nil {
		return eventstore.Result{}, err
	}
	return s.execute(c, domain.KindSettings, domain.SettingsID, cmd, opt)
}

func setETag(c echo.Context, version uint64) {
	c.Response().Header().Set("ETag", fmt.Sprintf("%q", strconv.FormatUint(version, 10)))
}

// errUnknownUnit is a unit the registry does not hold. It names the field,
// never the value sent.
func errUnknownUnit() *Problem {
	return errBadRequest("the unit is not in the municipality's units registry (GET /api/v1/admin/units)",
		domain.FieldProblem{Field: "unit", Message: "not a registered unit"})
}

// checkUnit refuses a command that puts a case in a unit the registry does
// not hold (a new case, a reassignment). It is called by execute for
// every write, and by openCase before the subject's file is registered,
// so a refused intake writes nothing.
func (s *Server) checkUnit(ctx context.Context, cmd domain.Command) error {
	var unit string
	switch c := cmd.(type) {
	case domain.OpenCase:
		unit = c.Unit
	case *domain.OpenCase:
		unit = c.Unit
	case domain.Reassign:
		unit = c.Unit
	case *domain.Reassign:
		unit = c.Unit
	case domain.Correct:
		unit = correctedUnit(c)
	case *domain.Correct:
		unit = correctedUnit(*c)
	default:
		return nil
	}
	if unit == "" {
		return nil
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		return err
	}
	if !st.HasUnit(unit) {
		return errUnknownUnit()
	}
	return nil
}

// correctedUnit is the unit a correction sets (of case.opened or
// case.reassigned), "" when it sets none: a correction is a path around
// the registry like any other. A unit that is not a string is left to the
// decider, which refuses it.
func correctedUnit(c domain.Correct) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(c.Corrected, &fields) != nil {
		return ""
	}
	var unit string
	if raw, ok := fields["unit"]; !ok || json.Unmarshal(raw, &unit) != nil {
		return ""
	}
	return unit
}

// FoundUnits is what RegisterFoundUnits did.
type FoundUnits struct {
	Registered int // units that cases named and the registry lacked, now registered
	Invalid    int // units that cases name but are no valid unit id: left out
}

// RegisterFoundUnits registers the units that cases in the projection
// name but the registry lacks (a store written before the registry, or
// by fristad seed), so that their cases stay writable. Ids that are not
// valid unit ids are left out and counted. serve calls it once the
// projections have caught up; it is idempotent.
func (s *Server) RegisterFoundUnits(ctx context.Context) (FoundUnits, error) {
	var out FoundUnits
	st, err := s.store.Settings(ctx)
	if err != nil {
		return out, err
	}
	var missing []string
	for _, u := range s.cfg.Cases.Units() {
		switch {
		case st.HasUnit(u):
		case !domain.ValidUnitID(u):
			out.Invalid++
		default:
			missing = append(missing, u)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	res, err := eventstore.Execute(ctx, s.store, domain.SettingsDecider(), domain.SettingsID, domain.RegisterFoundUnits{Units: missing},
		eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "fristad-serve", Now: s.now()}})
	if err != nil {
		return out, err
	}
	out.Registered = len(res.Events)
	return out, nil
}

// settingsDeadlines are the municipality's settings as the deadline
// projections read them (projections.DeadlineSettings).
type settingsDeadlines struct{ v domain.SettingValues }

func (d settingsDeadlines) DecisionCommunicationDays() int { return d.v.DecisionCommunicationDays }
func (d settingsDeadlines) AppealForwardDays() int         { return d.v.AppealForwardDays }

// deadlines are the deadline settings in force: Config.Deadlines when a
// caller fixed them, else the municipality's settings as they stand now.
func (s *Server) deadlines(ctx context.Context) (projections.DeadlineSettings, error) {
	if s.cfg.Deadlines != nil {
		return s.cfg.Deadlines, nil
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	return settingsDeadlines{st.Values}, nil
}

// Package all links every rule package into the binary; each registers its
// rules from init.
package all

import (
	_ "github.com/headroom-dev/headroom/rules/appserver"
	_ "github.com/headroom-dev/headroom/rules/budget"
	_ "github.com/headroom-dev/headroom/rules/cache"
	_ "github.com/headroom-dev/headroom/rules/celery"
	_ "github.com/headroom-dev/headroom/rules/database"
	_ "github.com/headroom-dev/headroom/rules/discovery"
	_ "github.com/headroom-dev/headroom/rules/nginx"
	_ "github.com/headroom-dev/headroom/rules/observability"
	_ "github.com/headroom-dev/headroom/rules/queries"
	_ "github.com/headroom-dev/headroom/rules/scaling"
	_ "github.com/headroom-dev/headroom/rules/throttle"
)

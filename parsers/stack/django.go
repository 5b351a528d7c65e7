package stack

type djangoSettings struct{}

func (s *Stack) resolveDjango() *djangoSettings { return &djangoSettings{} }

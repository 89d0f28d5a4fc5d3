package io.fnlb.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The routing key is Go's URL.Path: decoded, without query or fragment. */
class RouteKeyTest {

    @Test
    void queryIsNotPartOfTheKey() {
        assertThat(RouteKey.of("/r/app/fn?x=1&y=2")).isEqualTo("/r/app/fn");
    }

    @Test
    void percentEscapesAreDecodedButPlusIsKept() {
        assertThat(RouteKey.of("/r/app/with%20space")).isEqualTo("/r/app/with space");
        assertThat(RouteKey.of("/r/%C3%BCn%C3%AFcode/fn")).isEqualTo("/r/ünïcode/fn");
        assertThat(RouteKey.of("/r/a+b/fn")).isEqualTo("/r/a+b/fn");
    }

    @Test
    void absoluteFormTargetsUseTheirPath() {
        assertThat(RouteKey.of("http://lb.example:8081/r/app/fn?q")).isEqualTo("/r/app/fn");
        assertThat(RouteKey.of("http://lb.example:8081")).isEqualTo("/");
    }

    @Test
    void malformedEscapeIsRejected() {
        assertThatThrownBy(() -> RouteKey.of("/r/app/%zz")).isInstanceOf(IllegalArgumentException.class);
    }
}

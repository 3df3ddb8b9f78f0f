package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What every page's frame shows around its content: the title, the navigation with the current section, the CSRF
 * token its forms carry, a server-wide banner, a notice left by the action that led here, and the signed-in user
 * (empty when authentication is off) and whether they are an admin.
 */
public record Chrome(
        String title,
        Section section,
        String csrfToken,
        Optional<String> banner,
        Optional<String> notice,
        Optional<String> user,
        boolean admin) {
    public Chrome {
        requireNonNull(title, "title is null");
        requireNonNull(section, "section is null");
        requireNonNull(csrfToken, "csrfToken is null");
        requireNonNull(banner, "banner is null");
        requireNonNull(notice, "notice is null");
        requireNonNull(user, "user is null");
    }

    /** The sections this user may open: webhooks are for admins, so a signed-in user who is not one has no link. */
    public List<Section> sections() {
        return java.util.Arrays.stream(Section.values())
                .filter(section -> section != Section.WEBHOOKS || user.isEmpty() || admin)
                .toList();
    }
}

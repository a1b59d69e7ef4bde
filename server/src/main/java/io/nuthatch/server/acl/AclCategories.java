package io.nuthatch.server.acl;

import io.nuthatch.server.command.AclCategory;

/** Finds a category by the name ACL rules and ACL CAT use. */
final class AclCategories {
    private AclCategories() {
    }

    /** The category of a name without '@', ignoring case; null when there is none. */
    static AclCategory byName(String name) {
        for (AclCategory category : AclCategory.values()) {
            if (category.categoryName().equalsIgnoreCase(name)) {
                return category;
            }
        }
        return null;
    }
}

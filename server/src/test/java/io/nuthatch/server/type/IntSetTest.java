package io.nuthatch.server.type;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntSetTest {

    private static void assertMatches(TreeSet<Long> model, Object set) {
        assertEquals(model.size(), IntSet.size(set));
        int i = 0;
        for (long value : model) {
            assertEquals(value, IntSet.get(set, i++));
        }
    }

    @Test
    void membersStayInAscendingOrderAtEveryWidth() {
        SplittableRandom random = new SplittableRandom(3);
        TreeSet<Long> model = new TreeSet<>();
        Object set = IntSet.add(IntSet.empty(), 0);
        model.add(0L);
        long[] ranges = {100, 40_000, 3_000_000_000L, Long.MAX_VALUE};
        for (long range : ranges) {
            for (int i = 0; i < 300; i++) {
                long value = random.nextLong(-range, range);
                set = IntSet.add(set, value);
                model.add(value);
            }
            assertMatches(model, set);
        }
        assertEquals(8, IntSet.width(set));
        for (long value : model.toArray(new Long[0])) {
            if (random.nextBoolean()) {
                set = IntSet.remove(set, value);
                model.remove(value);
            }
        }
        assertMatches(model, set);
    }

    @Test
    void theWidthIsTheNarrowestThatHoldsEveryMemberAndNeverNarrows() {
        Object set = IntSet.add(IntSet.empty(), Short.MAX_VALUE);
        assertEquals(2, IntSet.width(set));
        set = IntSet.add(set, Short.MIN_VALUE);
        assertEquals(2, IntSet.width(set));
        set = IntSet.add(set, Short.MIN_VALUE - 1);
        assertEquals(4, IntSet.width(set));
        assertEquals(Short.MIN_VALUE - 1, IntSet.get(set, 0));
        set = IntSet.add(set, Long.MIN_VALUE);
        assertEquals(8, IntSet.width(set));
        assertEquals(Long.MIN_VALUE, IntSet.get(set, 0));
        set = IntSet.remove(set, Long.MIN_VALUE);
        assertEquals(8, IntSet.width(set));
        assertEquals(3, IntSet.size(set));
        assertEquals(MemoryLayout.align(16 + 3 * 8), IntSet.memoryUsage(set));
    }

    @Test
    void changesThatChangeNothingReturnTheSameArray() {
        Object set = IntSet.add(IntSet.empty(), 5);
        assertSame(set, IntSet.add(set, 5));
        assertSame(set, IntSet.remove(set, 6));
        assertSame(set, IntSet.remove(set, Long.MAX_VALUE));
        assertTrue(IntSet.contains(set, 5));
        assertTrue(!IntSet.contains(set, Long.MAX_VALUE));
    }
}

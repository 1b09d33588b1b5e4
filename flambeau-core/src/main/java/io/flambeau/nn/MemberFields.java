package io.flambeau.nn;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the fields of a {@link Module} subclass that may hold its members, for automatic
 * registration (the {@code self.fc1 = nn.Linear(...)} of PyTorch's standard form).
 *
 * <p>Instance fields of every class between {@code Module} and the concrete class are listed,
 * superclass fields first, each class's fields in declaration order (the order HotSpot's
 * {@code getDeclaredFields} reports, which PyTorch's attribute-assignment order corresponds to in
 * the usual case where fields are assigned in the order they are declared). Static and synthetic
 * fields (an inner class's reference to its outer instance) are skipped, and so are
 * {@code transient} ones: the way to keep a module-typed field out of the members (a container
 * that already registers its elements, a reference to a module owned elsewhere). What a field holds is
 * decided from its value when the module is traversed, not from its declared type, so a field
 * declared {@code Object} or reassigned later still works.
 */
final class MemberFields {
    private static final ClassValue<List<Field>> CACHE = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) { return scan(type); }
    };

    private MemberFields() {}

    static List<Field> of(Class<? extends Module> type) { return CACHE.get(type); }

    private static List<Field> scan(Class<?> type) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Module.class; c = c.getSuperclass()) chain.addFirst(c);
        List<Field> fields = new ArrayList<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                int mods = f.getModifiers();
                if (Modifier.isStatic(mods) || Modifier.isTransient(mods) || f.isSynthetic() || f.getType().isPrimitive()) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                } catch (InaccessibleObjectException e) {
                    throw new ModuleException(c.getName() + "." + f.getName() + " cannot be read to find the module's"
                            + " parameters: open the package to Flambeau (opens ... in module-info) or register the"
                            + " members with registerParameter/registerModule", e);
                }
                fields.add(f);
            }
        }
        return List.copyOf(fields);
    }

    static Object read(Field f, Module owner) {
        try {
            return f.get(owner);
        } catch (IllegalAccessException e) {
            throw new ModuleException("cannot read " + f.getDeclaringClass().getName() + "." + f.getName(), e);
        }
    }
}

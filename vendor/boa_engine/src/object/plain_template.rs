//! voxrun patch: a public way to make many plain objects with the same data properties.

use boa_gc::{Finalize, Trace};

use super::{JsObject, shape::shared_shape::template::ObjectTemplate};
use crate::{
    Context, JsNativeError, JsResult, JsValue, builtins::OrdinaryObject, property::Attribute,
    property::PropertyKey,
};

/// A template for plain objects (prototype `Object.prototype` of the realm it was made in)
/// that have the same data properties, in the same order: what an object literal such as
/// `{ a, b, c }` makes, built from Rust.
///
/// An object made from Rust with [`JsObject::with_object_proto`] and
/// [`JsObject::create_data_property`](JsObject) gets its properties one at a time, each
/// validated as a property definition and each moving the object to another shape. An
/// object made from a template starts with its final, shared shape and its values in place,
/// as the engine's own objects (arrays, iterator results, arguments) are made.
#[derive(Debug, Clone, Trace, Finalize)]
pub struct PlainObjectTemplate {
    template: ObjectTemplate,
    len: usize,
}

impl PlainObjectTemplate {
    /// A template whose objects have the data properties `keys`, in this order, writable,
    /// enumerable and configurable.
    ///
    /// # Errors
    /// A `TypeError` when a key is an array index or appears twice.
    pub fn new(keys: &[PropertyKey], context: &Context) -> JsResult<Self> {
        let mut template = context.intrinsics().templates().ordinary_object().clone();
        for (i, key) in keys.iter().enumerate() {
            if matches!(key, PropertyKey::Index(_)) || keys[..i].contains(key) {
                return Err(JsNativeError::typ()
                    .with_message("a template's keys must be distinct and not array indices")
                    .into());
            }
            template.property(key.clone(), Attribute::all());
        }
        Ok(Self {
            template,
            len: keys.len(),
        })
    }

    /// A new object with `values` as its properties' values, in the order of the keys.
    ///
    /// # Errors
    /// A `TypeError` when there are not as many values as keys.
    pub fn create(&self, values: Vec<JsValue>) -> JsResult<JsObject> {
        if values.len() != self.len {
            return Err(JsNativeError::typ()
                .with_message("a template's object needs one value per key")
                .into());
        }
        Ok(self.template.create(OrdinaryObject, values))
    }
}
